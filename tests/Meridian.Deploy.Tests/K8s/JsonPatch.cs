namespace Meridian.Deploy.Tests.K8s;

/// <summary>
/// A JSON patch (RFC 6902) over a YAML tree, as kustomize applies one: the operations in order, each path a JSON
/// pointer (RFC 6901: <c>~1</c> is <c>/</c>, <c>~0</c> is <c>~</c>; <c>-</c> after a list's last item). The operations
/// deploy/k8s uses (add, remove, replace) are read; the others are refused. A path that does not resolve fails, as
/// it fails kustomize's build.
/// </summary>
internal static class JsonPatch
{
    public static void Apply(object document, IList<object?> operations, string source)
    {
        foreach (var operation in operations)
        {
            var op = operation.Text("op");
            var pointer = operation.Text("path") ?? throw new InvalidDataException($"{source}: an operation without a path");
            var tokens = pointer.Split('/');
            Assert.True(tokens[0].Length == 0 && tokens.Length > 1, $"{source}: {pointer} is not a JSON pointer to a member");
            var parent = Resolve(document, tokens[1..^1], pointer, source);
            var last = Unescape(tokens[^1]);
            switch (op, parent)
            {
                case ("add", IDictionary<object, object?> map):
                    map[last] = Copy(operation.At("value"));
                    break;
                case ("add", IList<object?> list):
                    list.Insert(last == "-" ? list.Count : Index(list, last, list.Count, pointer, source), Copy(operation.At("value")));
                    break;
                case ("replace", IDictionary<object, object?> map):
                    Assert.True(map.ContainsKey(last), $"{source}: replace {pointer}: no such member");
                    map[last] = Copy(operation.At("value"));
                    break;
                case ("replace", IList<object?> list):
                    list[Index(list, last, list.Count - 1, pointer, source)] = Copy(operation.At("value"));
                    break;
                case ("remove", IDictionary<object, object?> map):
                    Assert.True(map.Remove(last), $"{source}: remove {pointer}: no such member");
                    break;
                case ("remove", IList<object?> list):
                    list.RemoveAt(Index(list, last, list.Count - 1, pointer, source));
                    break;
                case ("add" or "replace" or "remove", _):
                    Assert.Fail($"{source}: {op} {pointer}: its parent is not a map or a list");
                    break;
                default:
                    Assert.Fail($"{source}: the operation {op} is not read by {nameof(JsonPatch)}");
                    break;
            }
        }
    }

    private static object? Resolve(object document, string[] tokens, string pointer, string source)
    {
        var node = document;
        foreach (var token in tokens.Select(Unescape))
        {
            node = node switch
            {
                IDictionary<object, object?> map when map.TryGetValue(token, out var child) => child,
                IList<object?> list => list[Index(list, token, list.Count - 1, pointer, source)],
                _ => throw new Xunit.Sdk.XunitException($"{source}: {pointer}: {token} does not exist"),
            };
        }
        return node;
    }

    /// <summary>A list index: digits only, no leading zero (RFC 6901), at most <paramref name="max"/>.</summary>
    private static int Index(IList<object?> list, string token, int max, string pointer, string source)
    {
        var valid = token.Length > 0 && token.All(char.IsAsciiDigit) && (token == "0" || token[0] != '0')
            && int.TryParse(token, System.Globalization.CultureInfo.InvariantCulture, out var index) && index <= max;
        Assert.True(valid, $"{source}: {pointer}: {token} is not an index of a list of {list.Count}");
        return int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Unescape(string token) => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    /// <summary>A fresh copy: one patch may be applied to several objects, which must not share its values.</summary>
    internal static object? Copy(object? value) => value switch
    {
        IDictionary<object, object?> map => map.ToDictionary(e => e.Key, e => Copy(e.Value)),
        IList<object?> list => list.Select(Copy).ToList(),
        _ => value,
    };
}
