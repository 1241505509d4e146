namespace Meridian.Deploy.Tests.K8s;

/// <summary>One object of a manifest file.</summary>
internal sealed record Manifest(string File, object Document)
{
    public string Kind => Document.Text("kind") ?? "";

    public string Name => Document.Text("metadata", "name") ?? "";
}

/// <summary>A generated ConfigMap: its data (envs files, merged in the order kustomize merges them) and its files.</summary>
internal sealed record GeneratedConfigMap(string Name, Dictionary<string, string> Data, Dictionary<string, string> Files);

/// <summary>
/// What a kustomization renders, read the way kustomize reads it for the features deploy/k8s uses: resources (files,
/// and directories holding a kustomization, recursively), and ConfigMap generators (create, merge) from envs and files.
/// Anything else in a kustomization.yaml is refused, so that this reading cannot silently fall behind the files.
/// </summary>
internal sealed class Kustomization
{
    private static readonly HashSet<string> Understood = ["apiVersion", "kind", "namespace", "labels", "resources", "configMapGenerator", "images"];

    public required string Directory { get; init; }

    public required string? Namespace { get; init; }

    public List<Manifest> Manifests { get; } = [];

    public Dictionary<string, GeneratedConfigMap> ConfigMaps { get; } = new(StringComparer.Ordinal);

    /// <summary>Every file the kustomization names, as repository paths.</summary>
    public List<string> ReferencedFiles { get; } = [];

    public IEnumerable<Manifest> OfKind(string kind) => Manifests.Where(m => m.Kind == kind);

    public static Kustomization Load(string directory)
    {
        var file = $"{directory}/kustomization.yaml";
        var document = Assert.Single(DeployFiles.Yaml(file));
        var unknown = document.Entries().Select(e => e.Key).Where(k => !Understood.Contains(k)).ToList();
        Assert.True(unknown.Count == 0, $"{file}: {string.Join(", ", unknown)} is not read by {nameof(Kustomization)}; teach it before using it");
        var result = new Kustomization { Directory = directory, Namespace = document.Text("namespace") };
        foreach (var resource in document.Items("resources").Cast<string>())
        {
            var path = Normalize($"{directory}/{resource}");
            result.ReferencedFiles.Add(path);
            if (System.IO.Directory.Exists(DeployFiles.PathOf(path)))
            {
                var inner = Load(path);
                result.Manifests.AddRange(inner.Manifests);
                result.ReferencedFiles.AddRange(inner.ReferencedFiles);
                foreach (var (name, map) in inner.ConfigMaps) result.ConfigMaps[name] = map;
            }
            else
            {
                Assert.True(File.Exists(DeployFiles.PathOf(path)), $"{file}: resource {resource} does not exist");
                result.Manifests.AddRange(DeployFiles.Yaml(path).Select(d => new Manifest(path, d!)));
            }
        }
        foreach (var generator in document.Items("configMapGenerator")) result.Generate(file, generator);
        return result;
    }

    private void Generate(string file, object? generator)
    {
        var name = generator.Text("name")!;
        var behavior = generator.Text("behavior") ?? "create";
        if (behavior == "merge") Assert.True(ConfigMaps.ContainsKey(name), $"{file}: merges into ConfigMap {name}, which no base creates");
        else Assert.False(ConfigMaps.ContainsKey(name), $"{file}: creates ConfigMap {name} twice");
        var map = behavior == "merge" ? ConfigMaps[name] : new GeneratedConfigMap(name, new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        foreach (var envs in generator.Items("envs").Cast<string>())
        {
            var path = Normalize($"{Directory}/{envs}");
            ReferencedFiles.Add(path);
            foreach (var (key, value) in DeployFiles.EnvFile(path)) map.Data[key] = value;
        }
        foreach (var entry in generator.Items("files").Cast<string>())
        {
            var (key, source) = entry.IndexOf('=') is var i and > 0 ? (entry[..i], entry[(i + 1)..]) : (Path.GetFileName(entry), entry);
            var path = Normalize($"{Directory}/{source}");
            ReferencedFiles.Add(path);
            // kustomize's default load restrictor: files of a generator stay inside the kustomization's directory.
            Assert.StartsWith(Directory + "/", path);
            map.Files[key] = path;
        }
        ConfigMaps[name] = map;
    }

    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part == "..") parts.RemoveAt(parts.Count - 1);
            else if (part is not ("." or "")) parts.Add(part);
        }
        return string.Join('/', parts);
    }
}
