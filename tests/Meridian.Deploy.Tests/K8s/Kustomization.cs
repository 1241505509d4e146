namespace Meridian.Deploy.Tests.K8s;

/// <summary>One object of a manifest file, as the kustomizations above it have transformed it so far.</summary>
internal sealed record Manifest(string File, object Document)
{
    public string Kind => Document.Text("kind") ?? "";

    public string Name => Document.Text("metadata", "name") ?? "";

    /// <summary>The name in its file: patch targets match it as well as the current name, as in kustomize.</summary>
    public string OriginalName { get; } = Document.Text("metadata", "name") ?? "";
}

/// <summary>A generated ConfigMap: its data (envs files, merged in the order kustomize merges them) and its files.</summary>
internal sealed record GeneratedConfigMap(string Name, Dictionary<string, string> Data, Dictionary<string, string> Files);

/// <summary>
/// What a kustomization renders, read the way kustomize reads it for the features deploy/k8s uses: resources (files,
/// and directories holding a kustomization, each rendered first, recursively), ConfigMap generators (create, merge)
/// from envs and files, then the transformers in kustomize's order: patches (strategic merge and JSON 6902, with a
/// target by kind and name), then labels (with or without selectors). Anything else in a kustomization.yaml is
/// refused, so that this reading cannot silently fall behind the files. Not modelled: the namespace and images
/// transformers (the tests read the names and the image the files give), generated ConfigMaps' labels and name
/// hashes, and kustomize's rewriting of references to renamed objects (no object refers to one its kustomization
/// renames).
/// </summary>
internal sealed class Kustomization
{
    private static readonly HashSet<string> Understood = ["apiVersion", "kind", "namespace", "labels", "resources", "configMapGenerator", "images", "patches"];

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
        foreach (var patch in document.Items("patches")) result.Patch(file, patch);
        foreach (var label in document.Items("labels")) result.Label(file, label);
        return result;
    }

    private void Patch(string file, object? entry)
    {
        Refuse(file, "patches", entry, "patch", "path", "target");
        Refuse(file, "patches.target", entry.At("target"), "kind", "name");
        Assert.True(entry.At("target").IsMap(), $"{file}: a patch without a target is not read by {nameof(Kustomization)}");
        var text = entry.Text("patch") ?? DeployFiles.Read(Resource(file, entry.Text("path")!));
        var patch = Assert.Single(DeployFiles.YamlDocuments(text));
        var kind = Pattern(entry.Text("target", "kind"));
        var name = Pattern(entry.Text("target", "name"));
        var targets = Manifests.Where(m => kind.IsMatch(m.Kind) && (name.IsMatch(m.Name) || name.IsMatch(m.OriginalName))).ToList();
        // kustomize skips a patch that selects nothing; here it is a mistake worth a failure.
        Assert.True(targets.Count > 0, $"{file}: the patch on {entry.At("target").Entries().Select(e => $"{e.Key}={e.Value}").Aggregate((a, b) => $"{a}, {b}")} selects nothing");
        foreach (var target in targets)
        {
            if (patch is IList<object?> operations) JsonPatch.Apply(target.Document, operations, file);
            else if (!StrategicMergePatch.Apply(target.Document, patch!, file)) Manifests.Remove(target);
        }
    }

    private void Label(string file, object? entry)
    {
        Refuse(file, "labels", entry, "pairs", "includeSelectors");
        var pairs = entry.Entries("pairs").ToDictionary(e => e.Key, e => (string)e.Value!, StringComparer.Ordinal);
        var includeSelectors = entry.Text("includeSelectors") is "true";
        foreach (var manifest in Manifests) Labels.Apply(manifest, pairs, includeSelectors);
    }

    /// <summary>A selector field: a regular expression matching the whole value (kustomize anchors it); absent, anything.</summary>
    private static System.Text.RegularExpressions.Regex Pattern(string? value) =>
        new(value is null ? ".*" : $"^(?:{value})$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static void Refuse(string file, string field, object? node, params string[] understood)
    {
        var unknown = node.Entries().Select(e => e.Key).Where(k => !understood.Contains(k)).ToList();
        Assert.True(unknown.Count == 0, $"{file}: {field}: {string.Join(", ", unknown)} is not read by {nameof(Kustomization)}; teach it before using it");
    }

    /// <summary>A file a kustomization loads: kustomize's default load restrictor keeps it inside the kustomization's directory.</summary>
    private string Resource(string file, string relative)
    {
        var path = Normalize($"{Directory}/{relative}");
        Assert.True(path.StartsWith(Directory + "/", StringComparison.Ordinal), $"{file}: {relative} is outside {Directory}");
        ReferencedFiles.Add(path);
        return path;
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
            map.Files[key] = Resource(file, source);
        }
        ConfigMaps[name] = map;
    }

    /// <summary>A path without . and .. parts; a rooted one (the reader's own tests, in a temporary directory) stays rooted.</summary>
    private static string Normalize(string path)
    {
        var parts = path.StartsWith('/') ? new List<string> { "" } : [];
        foreach (var part in path.Split('/'))
        {
            if (part == "..") parts.RemoveAt(parts.Count - 1);
            else if (part is not ("." or "")) parts.Add(part);
        }
        return string.Join('/', parts);
    }
}
