using System.Text.Json.Nodes;

namespace Meridian.Processing.Workflows;

/// <summary>
/// The reference paths of workflow definitions, a small subset of JSONPath: <c>$</c>, then members (<c>.name</c>
/// or <c>['name']</c>) and array indexes (<c>[0]</c>). No wildcards, filters or recursion: a path names one value,
/// which is all a state needs to pick its input or place its result.
/// </summary>
public sealed class JsonPath
{
    private const int MaxLength = 512;

    private readonly object[] _segments;

    private JsonPath(string text, object[] segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    public bool IsRoot => _segments.Length == 0;

    /// <summary>Parses a path; null with a reason when it is not one.</summary>
    public static JsonPath? TryParse(string? text, out string error)
    {
        error = "";
        if (string.IsNullOrEmpty(text) || text[0] != '$') return Fail("a path starts with '$'", out error);
        if (text.Length > MaxLength) return Fail($"a path has at most {MaxLength} characters", out error);
        var segments = new List<object>();
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var start = ++i;
                while (i < text.Length && text[i] != '.' && text[i] != '[') i++;
                var name = text[start..i];
                if (name.Length == 0 || !name.All(c => char.IsLetterOrDigit(c) || c is '_' or '-'))
                    return Fail($"'{name}' at {start} is not a member name (letters, digits, '_', '-'; use ['...'] for others)", out error);
                segments.Add(name);
            }
            else if (text[i] == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0) return Fail($"'[' at {i} is not closed", out error);
                var inner = text[(i + 1)..close];
                if (inner.Length >= 2 && inner[0] == '\'' && inner[^1] == '\'' && inner.IndexOf('\'', 1) == inner.Length - 1) segments.Add(inner[1..^1]);
                else if (int.TryParse(inner, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)) segments.Add(index);
                else return Fail($"'[{inner}]' at {i} is neither an index nor a quoted name", out error);
                i = close + 1;
            }
            else
            {
                return Fail($"unexpected '{text[i]}' at {i}", out error);
            }
        }
        return new JsonPath(text, segments.ToArray());
    }

    public static JsonPath Parse(string text) => TryParse(text, out var error) ?? throw new FormatException($"'{text}': {error}");

    /// <summary>The value the path names; false when a member or index on the way is missing.</summary>
    public bool TryGet(JsonNode? root, out JsonNode? value)
    {
        value = root;
        foreach (var segment in _segments)
        {
            switch (segment, value)
            {
                case (string name, JsonObject o) when o.TryGetPropertyValue(name, out var member):
                    value = member;
                    break;
                case (int index, JsonArray a) when index < a.Count:
                    value = a[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Places a copy of <paramref name="value"/> at the path inside <paramref name="root"/>, creating objects on the
    /// way, and returns the new root (the value itself for <c>$</c>). Fails when the way crosses something that is not an object.
    /// </summary>
    public JsonNode? Set(JsonNode? root, JsonNode? value)
    {
        var copy = value?.DeepClone();
        if (IsRoot) return copy;
        if (root is not JsonObject) throw new WorkflowRuntimeException(WorkflowErrors.ResultPathMatchFailure, $"ResultPath '{Text}' needs an object to write into.");
        JsonNode node = root;
        for (var i = 0; i < _segments.Length; i++)
        {
            var last = i == _segments.Length - 1;
            switch (_segments[i], node)
            {
                case (string name, JsonObject o):
                    if (last) o[name] = copy;
                    else node = o[name] is JsonObject or JsonArray ? o[name]! : (JsonNode)(o[name] = new JsonObject());
                    break;
                case (int index, JsonArray a) when index < a.Count:
                    if (last) a[index] = copy;
                    else node = a[index] ?? throw Mismatch();
                    break;
                default:
                    throw Mismatch();
            }
        }
        return root;
    }

    private WorkflowRuntimeException Mismatch() =>
        new(WorkflowErrors.ResultPathMatchFailure, $"ResultPath '{Text}' does not fit the state's input.");

    private static JsonPath? Fail(string reason, out string error)
    {
        error = reason;
        return null;
    }

    public override string ToString() => Text;
}
