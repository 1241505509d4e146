namespace Meridian.Deploy.Tests.K8s;

/// <summary>
/// A kustomization's <c>labels</c> entry applied as kustomize applies it: into every object's metadata/labels and,
/// with includeSelectors, into the fields kustomize's built-in field specs name for selectors and pod templates
/// (a Deployment's selector, pod labels and topology spread selectors, a Service's selector, ...). A field spec
/// that may create its field adds the missing maps; one that may not only adds to a selector that is already there.
/// </summary>
internal static class Labels
{
    private sealed record FieldSpec(string Path, bool Create, string? Group = null, string? Kind = null);

    /// <summary>kustomize's commonLabels field specs (builtinpluginconsts) for the kinds deploy/k8s holds.</summary>
    private static readonly FieldSpec[] Selectors =
    [
        new("spec/selector", true, "", "Service"),
        new("spec/selector/matchLabels", true, Kind: "Deployment"),
        new("spec/template/metadata/labels", true, Kind: "Deployment"),
        new("spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false, "apps", "Deployment"),
        new("spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false, "apps", "Deployment"),
        new("spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false, "apps", "Deployment"),
        new("spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false, "apps", "Deployment"),
        new("spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", false, "apps", "Deployment"),
        new("spec/selector/matchLabels", false, "policy", "PodDisruptionBudget"),
        new("spec/podSelector/matchLabels", false, "networking.k8s.io", "NetworkPolicy"),
        new("spec/ingress/from/podSelector/matchLabels", false, "networking.k8s.io", "NetworkPolicy"),
        new("spec/egress/to/podSelector/matchLabels", false, "networking.k8s.io", "NetworkPolicy"),
    ];

    /// <summary>Kinds with selector field specs in kustomize that <see cref="Selectors"/> leaves out.</summary>
    private static readonly HashSet<string> Unread = ["ReplicationController", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "CronJob"];

    private static readonly FieldSpec Metadata = new("metadata/labels", true);

    public static void Apply(Manifest manifest, IReadOnlyDictionary<string, string> pairs, bool includeSelectors)
    {
        var apiVersion = manifest.Document.Text("apiVersion") ?? "";
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        Assert.False(includeSelectors && Unread.Contains(manifest.Kind), $"{manifest.File}: labels with selectors on a {manifest.Kind} are not read by {nameof(Labels)}; teach it kustomize's field specs");
        var specs = includeSelectors ? Selectors.Where(s => (s.Kind is null || s.Kind == manifest.Kind) && (s.Group is null || s.Group == group)).Prepend(Metadata) : [Metadata];
        foreach (var spec in specs) Set(manifest.Document, spec.Path.Split('/'), spec.Create, pairs);
    }

    /// <summary>Walks the path (into every item of a list on the way, as kustomize does) and adds the pairs there.</summary>
    private static void Set(object? node, ReadOnlySpan<string> path, bool create, IReadOnlyDictionary<string, string> pairs)
    {
        if (node is IList<object?> list)
        {
            foreach (var item in list) Set(item, path, create, pairs);
            return;
        }
        if (node is not IDictionary<object, object?> map) return;
        if (path.IsEmpty)
        {
            foreach (var (key, value) in pairs) map[key] = value;
            return;
        }
        if (!map.TryGetValue(path[0], out var child) || child is null)
        {
            if (!create) return;
            map[path[0]] = child = new Dictionary<object, object?>();
        }
        Set(child, path[1..], create, pairs);
    }
}
