using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Processing.Processes;

namespace Meridian.Processing.Library;

/// <summary>
/// The "inputs" of an execute request, read against the process's declared inputs: unknown names, missing
/// required inputs and values of the wrong type or out of range are <see cref="ProcessInputException"/>s naming
/// the input. Values may be given bare or qualified (<c>{"value": …}</c>), as OGC API – Processes allows.
/// </summary>
public sealed class ProcessInputs
{
    private readonly JsonObject _inputs;

    /// <summary>Checks the names against the description: every input it lists with minOccurs 1 is there, nothing else is.</summary>
    public ProcessInputs(JsonObject inputs, ProcessDescription description)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(description);
        _inputs = inputs;
        foreach (var (name, _) in inputs)
        {
            if (!description.Inputs.ContainsKey(name))
                throw new ProcessInputException(name, $"Unknown input '{name}'; the process '{description.Id}' takes {string.Join(", ", description.Inputs.Select(i => i.Key))}.");
        }
        foreach (var (name, declared) in description.Inputs)
        {
            if (declared?["minOccurs"]?.GetValue<int>() is > 0 && Find(name) is null)
                throw new ProcessInputException(name, $"The input '{name}' is required.");
        }
    }

    /// <summary>The value given, unwrapped from a qualified value; null when absent or JSON null.</summary>
    public JsonNode? Find(string name)
    {
        var node = _inputs[name];
        // A qualified value is {"value": …, "mediaType": …}; GeoJSON objects (which have "type") are values themselves.
        if (node is JsonObject qualified && qualified.ContainsKey("value") && !qualified.ContainsKey("type")) node = qualified["value"];
        return node;
    }

    public double Number(string name, double min, double max, double? fallback = null)
    {
        if (Find(name) is not { } node) return fallback ?? throw new ProcessInputException(name, $"The input '{name}' is required.");
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue<double>(out var number) || !double.IsFinite(number))
            throw new ProcessInputException(name, $"The input '{name}' must be a number.");
        if (number < min || number > max)
            throw new ProcessInputException(name, $"The input '{name}' must be between {min:G} and {max:G}; it is {number:G}.");
        return number;
    }

    public int Integer(string name, int min, int max, int fallback)
    {
        if (Find(name) is not { } node) return fallback;
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue<double>(out var number)
            || !double.IsFinite(number) || Math.Floor(number) != number)
            throw new ProcessInputException(name, $"The input '{name}' must be an integer.");
        if (number < min || number > max)
            throw new ProcessInputException(name, $"The input '{name}' must be between {min} and {max}; it is {number:G}.");
        return (int)number;
    }

    public bool Boolean(string name, bool fallback)
    {
        if (Find(name) is not { } node) return fallback;
        return node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValue<bool>()
            : throw new ProcessInputException(name, $"The input '{name}' must be true or false.");
    }

    /// <summary>A string input; with <paramref name="allowed"/>, one of those values.</summary>
    public string? Text(string name, IReadOnlyList<string>? allowed = null, string? fallback = null)
    {
        if (Find(name) is not { } node) return fallback;
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            throw new ProcessInputException(name, $"The input '{name}' must be a string.");
        var text = value.GetValue<string>();
        if (allowed is not null && !allowed.Contains(text, StringComparer.Ordinal))
            throw new ProcessInputException(name, $"The input '{name}' must be one of {string.Join(", ", allowed)}.");
        return text;
    }
}

/// <summary>One input of a process as its description lists it.</summary>
/// <param name="Schema">The JSON Schema of its value.</param>
public sealed record ProcessInput(string Name, string Title, string Description, JsonObject Schema, bool Required = true)
{
    public JsonObject ToJson() => new()
    {
        ["title"] = Title,
        ["description"] = Description,
        ["schema"] = Schema.DeepClone(),
        ["minOccurs"] = Required ? 1 : 0,
        ["maxOccurs"] = 1,
    };

    public static JsonObject NumberSchema(double min, double max) => new() { ["type"] = "number", ["minimum"] = min, ["maximum"] = max };

    public static JsonObject IntegerSchema(int min, int max) => new() { ["type"] = "integer", ["minimum"] = min, ["maximum"] = max };

    public static JsonObject TextSchema(params string[] values) => values.Length == 0
        ? new JsonObject { ["type"] = "string" }
        : new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()) };
}
