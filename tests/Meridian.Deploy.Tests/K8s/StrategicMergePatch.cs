namespace Meridian.Deploy.Tests.K8s;

/// <summary>
/// A strategic-merge patch applied the way kustomize applies one (kyaml's merge2): maps merge key by key and a null
/// value removes its key; <c>$patch: delete</c> removes the map it is in (the whole object, at the top); a list merges
/// item by item on the merge key the Kubernetes API gives it (a container by name, a volume mount by mountPath), or is
/// replaced by the patch's list where the API gives none. The object keeps its kind and name, as in kustomize.
/// A list whose schema this reading does not know is refused rather than guessed.
/// </summary>
internal static class StrategicMergePatch
{
    /// <summary>
    /// The lists of the objects deploy/k8s patches, by kind and field path (list items add nothing to the path): their
    /// patchMergeKey in the Kubernetes API, or null for a list without one, which a patch replaces whole.
    /// </summary>
    private static readonly Dictionary<string, string?> Lists = new(StringComparer.Ordinal)
    {
        ["Deployment:spec/template/spec/containers"] = "name",
        ["Deployment:spec/template/spec/containers/args"] = null,
        ["Deployment:spec/template/spec/containers/env"] = "name",
        ["Deployment:spec/template/spec/containers/envFrom"] = null,
        ["Deployment:spec/template/spec/containers/ports"] = "containerPort",
        ["Deployment:spec/template/spec/containers/volumeMounts"] = "mountPath",
        ["Deployment:spec/template/spec/volumes"] = "name",
        ["Service:spec/ports"] = "port",
    };

    private static readonly object Deleted = new();

    /// <summary>Patches <paramref name="document"/> in place; false when the patch deletes the whole object.</summary>
    public static bool Apply(object document, object patch, string source)
    {
        var target = AsMap(document, source);
        var kind = target.Text("kind")!;
        var name = target.Text("metadata", "name");
        if (Merge(target, AsMap(patch, source), kind, "", source) == Deleted) return false;
        target["kind"] = kind;
        ((IDictionary<object, object?>)target["metadata"]!)["name"] = name;
        return true;
    }

    private static object Merge(IDictionary<object, object?> target, IDictionary<object, object?> patch, string kind, string path, string source)
    {
        if (IsDelete(patch, path, source)) return Deleted;
        foreach (var (key, value) in patch)
        {
            var field = path.Length == 0 ? (string)key : $"{path}/{key}";
            if (value is null)
            {
                target.Remove(key);
                continue;
            }
            var merged = (target.TryGetValue(key, out var current) ? current : null, value) switch
            {
                (IDictionary<object, object?> map, IDictionary<object, object?> patchMap) => Merge(map, patchMap, kind, field, source),
                (IList<object?> list, IList<object?> patchList) => MergeList(list, patchList, kind, field, source),
                _ => Added(value, kind, field, source),
            };
            if (merged == Deleted) target.Remove(key);
            else target[key] = merged;
        }
        return target;
    }

    private static List<object?> MergeList(IList<object?> target, IList<object?> patch, string kind, string path, string source)
    {
        Assert.True(Lists.TryGetValue($"{kind}:{path}", out var mergeKey), $"{source}: the list {path} of a {kind} is not known to {nameof(StrategicMergePatch)}; teach it its merge key");
        if (mergeKey is null) return (List<object?>)Added(patch, kind, path, source);
        var merged = target.ToList();
        foreach (var item in patch)
        {
            var keyValue = item.Text(mergeKey);
            Assert.True(item.IsMap() && keyValue is not null, $"{source}: an item of {path} has no {mergeKey}");
            var index = merged.FindIndex(m => m.Text(mergeKey) == keyValue);
            var result = index < 0 ? Added(item, kind, path, source) : Merge(AsMap(merged[index], source), AsMap(item, source), kind, path, source);
            if (index < 0 && result != Deleted) merged.Add(result);
            else if (index >= 0 && result == Deleted) merged.RemoveAt(index);
            else if (index >= 0) merged[index] = result;
        }
        return merged;
    }

    /// <summary>A patch value where the object has none: a copy without directives (nothing, for a deleted map).</summary>
    private static object Added(object? value, string kind, string path, string source) => value switch
    {
        IDictionary<object, object?> map when IsDelete(map, path, source) => Deleted,
        IDictionary<object, object?> map => Merge(new Dictionary<object, object?>(), map, kind, path, source),
        IList<object?> list => list.Select(i => Added(i, kind, path, source)).Where(i => i != Deleted).ToList<object?>(),
        _ => value!,
    };

    private static bool IsDelete(IDictionary<object, object?> patch, string path, string source)
    {
        var directives = patch.Keys.Cast<string>().Where(k => k.StartsWith('$')).ToList();
        if (directives.Count == 0) return false;
        Assert.True(directives is ["$patch"] && patch["$patch"] is "delete",
            $"{source}: {path}: only `$patch: delete` is read by {nameof(StrategicMergePatch)}, not {string.Join(", ", directives)}");
        return true;
    }

    private static IDictionary<object, object?> AsMap(object? node, string source) =>
        node as IDictionary<object, object?> ?? throw new InvalidDataException($"{source}: a strategic-merge patch and its object must be maps");
}
