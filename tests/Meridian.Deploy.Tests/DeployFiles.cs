using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Meridian.Deploy.Tests;

/// <summary>The repository's files as the deployment tools read them: YAML documents as plain maps, lists and strings.</summary>
internal static class DeployFiles
{
    public static readonly string Root = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Every document of a YAML file; merge keys (&lt;&lt;: *anchor) resolved as compose resolves them.</summary>
    public static IReadOnlyList<object?> Yaml(string relative) => YamlDocuments(Read(relative));

    public static IReadOnlyList<object?> YamlDocuments(string text)
    {
        var parser = new MergingParser(new Parser(new StringReader(text)));
        var deserializer = new DeserializerBuilder().Build();
        var documents = new List<object?>();
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _)) documents.Add(deserializer.Deserialize<object?>(parser));
        return documents.Where(d => d is not null).ToList();
    }

    public static IEnumerable<string> Files(string relativeDirectory, string pattern) =>
        Directory.EnumerateFiles(PathOf(relativeDirectory), pattern, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);

    /// <summary>A file's lines, comments and blank lines skipped.</summary>
    public static IReadOnlyList<string> Lines(string relative) =>
        File.ReadLines(PathOf(relative)).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

    /// <summary>KEY=VALUE lines (kustomize's envs files, compose's .env), comments and blank lines skipped.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> EnvFile(string relative) =>
        Lines(relative)
            .Select(l => l.IndexOf('=') is var i and > 0 ? KeyValuePair.Create(l[..i], l[(i + 1)..]) : throw new InvalidDataException($"{relative}: '{l}' is not KEY=VALUE"))
            .ToList();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Meridian.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("no Meridian.slnx above " + AppContext.BaseDirectory);
    }
}

/// <summary>Reading the plain tree YamlDotNet gives: maps of object keys, lists, and scalars as strings.</summary>
internal static class YamlTree
{
    public static object? At(this object? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not IDictionary<object, object?> map || !map.TryGetValue(key, out node)) return null;
        }
        return node;
    }

    public static string? Text(this object? node, params string[] path) => node.At(path) as string;

    public static IReadOnlyList<object?> Items(this object? node, params string[] path) =>
        node.At(path) is IList<object?> list ? list.ToList() : [];

    public static IEnumerable<KeyValuePair<string, object?>> Entries(this object? node, params string[] path) =>
        node.At(path) is IDictionary<object, object?> map ? map.Select(e => KeyValuePair.Create((string)e.Key, e.Value)) : [];

    public static bool IsMap(this object? node) => node is IDictionary<object, object?>;
}
