using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Processing.Processes;
using Meridian.Storage.Jobs;

namespace Meridian.Processing.Library.Processes;

/// <summary>
/// "echo": each input given comes back as the output of the same name. A diagnostic: clients check how they encode
/// each kind of input (text, numbers, booleans, objects, bounding boxes, arrays, base64 binary, references) and
/// which response they get for each execution mode and response form; the OGC conformance suite
/// (ets-ogcapi-processes10) executes it by this id. Values are checked against the description, as every process
/// checks its inputs, so a client also sees the 400 it would get elsewhere. <c>pause</c> delays the answer, to
/// watch a job run, list it or dismiss it.
/// </summary>
public sealed class EchoProcess : IProcess
{
    public const string Id = "echo";
    public const string Pause = "pause";
    public const double MaxPause = 60;

    private const string Base64 = "base64";
    private const string DefaultBinaryType = "application/octet-stream";

    /// <summary>The inputs in the order the description lists them: a plain text first, which a client selecting "the first output" reads back.</summary>
    private static readonly (string Name, string Title, JsonObject Schema)[] Echoed =
    [
        ("string", "Text", ProcessInput.TextSchema()),
        ("number", "Number", new JsonObject { ["type"] = "number" }),
        ("integer", "Integer", ProcessInput.IntegerSchema(int.MinValue, int.MaxValue)),
        ("boolean", "Boolean", new JsonObject { ["type"] = "boolean" }),
        ("object", "Object", new JsonObject { ["type"] = "object" }),
        ("bbox", "Bounding box", BoundingBoxSchema()),
        ("array", "Array of numbers", new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "number" } }),
        // contentMediaType makes it the input whose format a client can get wrong: the conformance suite's
        // input-validation test sends it a wrong media type and expects the 400.
        ("binary", "Binary", new JsonObject { ["type"] = "string", ["format"] = "byte", ["contentEncoding"] = Base64, ["contentMediaType"] = DefaultBinaryType }),
    ];

    public ProcessDescription Description { get; } = Describe();

    private static ProcessDescription Describe()
    {
        JsonObject inputs = [];
        JsonObject outputs = [];
        foreach (var (name, title, schema) in Echoed)
        {
            inputs[name] = new ProcessInput(name, title, $"Returned as the output '{name}'.", schema, Required: false).ToJson();
            outputs[name] = new JsonObject { ["title"] = title, ["description"] = $"The input '{name}', as given.", ["schema"] = schema.DeepClone() };
        }
        inputs["binary"]!["description"] = "Base64 bytes, bare or as {\"value\", \"mediaType\", \"encoding\": \"base64\"} (mediaType and encoding may also sit in \"format\"), "
            + "or a reference {\"href\"}, which is returned as the same reference and not fetched. A raw response serves the bytes with their media type.";
        inputs["object"]!["description"] = "Any JSON object, returned as given (an object holding \"value\" is not unwrapped: it is the object).";
        inputs[Pause] = new ProcessInput(Pause, "Pause", $"Seconds to wait before answering (0–{MaxPause}; not echoed).",
            ProcessInput.NumberSchema(0, MaxPause), Required: false).ToJson();
        return new ProcessDescription(Id, "Echo", "Returns each input given as the output of the same name, after an optional pause: "
            + "a check of how a client encodes inputs and reads responses.", "1.0.0", inputs, outputs);
    }

    public async Task<JsonObject> ExecuteAsync(ProcessExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var inputs = new ProcessInputs(execution.Inputs, Description);
        var pause = inputs.Number(Pause, 0, MaxPause, 0);
        JsonObject results = [];
        foreach (var (name, _, _) in Echoed)
        {
            if (inputs.Find(name) is not null) results[name] = Read(name, inputs, execution.Inputs[name]!);
        }
        if (results.Count == 0)
            throw new ProcessInputException("inputs", $"Give at least one input to echo: {string.Join(", ", Echoed.Select(e => e.Name))}.");
        if (pause > 0)
        {
            execution.Progress.Report(new JobProgress($"Pausing {pause:G} s", 0, null));
            await Task.Delay(TimeSpan.FromSeconds(pause), cancellationToken);
        }
        return results;
    }

    /// <param name="given">The input as the request holds it, before a qualified value is unwrapped.</param>
    private static JsonNode Read(string name, ProcessInputs inputs, JsonNode given) => name switch
    {
        "string" => inputs.Text(name)!,
        "number" => inputs.Number(name, double.MinValue, double.MaxValue),
        "integer" => inputs.Integer(name, int.MinValue, int.MaxValue, 0),
        "boolean" => inputs.Boolean(name, false),
        "object" => given is JsonObject ? given.DeepClone() : throw new ProcessInputException(name, $"The input '{name}' must be a JSON object."),
        "bbox" => BoundingBox(name, inputs.Find(name)!),
        "array" => Numbers(name, inputs.Find(name)!),
        _ => Binary(name, given),
    };

    /// <summary>OGC's bbox.yaml: 4 or 6 numbers and an optional CRS URI.</summary>
    private static JsonObject BoundingBoxSchema() => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("bbox"),
        ["properties"] = new JsonObject
        {
            ["bbox"] = new JsonObject
            {
                ["type"] = "array",
                ["oneOf"] = new JsonArray(new JsonObject { ["minItems"] = 4, ["maxItems"] = 4 }, new JsonObject { ["minItems"] = 6, ["maxItems"] = 6 }),
                ["items"] = new JsonObject { ["type"] = "number" },
            },
            ["crs"] = new JsonObject { ["type"] = "string", ["format"] = "uri", ["default"] = "http://www.opengis.net/def/crs/OGC/1.3/CRS84" },
        },
    };

    private static JsonObject BoundingBox(string name, JsonNode value)
    {
        if (value is not JsonObject box || box["bbox"] is not JsonArray corners || corners.Count is not (4 or 6) || !corners.All(IsFiniteNumber))
            throw new ProcessInputException(name, $"The input '{name}' must be {{\"bbox\": [4 or 6 numbers], \"crs\": URI}}.");
        if (box.FirstOrDefault(m => m.Key is not ("bbox" or "crs")) is { Key: { } unknown })
            throw new ProcessInputException(name, $"The input '{name}' has an unknown member '{unknown}'; a bounding box has 'bbox' and 'crs'.");
        if (box["crs"] is { } crs && (crs.GetValueKind() != JsonValueKind.String || !Uri.TryCreate(crs.GetValue<string>(), UriKind.Absolute, out _)))
            throw new ProcessInputException(name, $"The input '{name}' has a 'crs' that is not a URI.");
        return (JsonObject)box.DeepClone();
    }

    private static JsonArray Numbers(string name, JsonNode value) =>
        value is JsonArray array && array.All(IsFiniteNumber)
            ? (JsonArray)array.DeepClone()
            : throw new ProcessInputException(name, $"The input '{name}' must be an array of numbers.");

    private static bool IsFiniteNumber(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var number) && double.IsFinite(number);

    /// <summary>
    /// Base64 bytes (bare or qualified) become a qualified value {value, mediaType, encoding}, which a raw response
    /// serves as the bytes; a reference stays a reference: the echo never fetches what a client points it at.
    /// </summary>
    private static JsonObject Binary(string name, JsonNode given)
    {
        if (given is JsonObject reference && reference["href"] is { } href)
        {
            if (href.GetValueKind() != JsonValueKind.String || !Uri.TryCreate(href.GetValue<string>(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new ProcessInputException(name, $"The input '{name}' refers to 'href', which must be an absolute http(s) URL.");
            var link = new JsonObject { ["href"] = uri.AbsoluteUri };
            if (MediaType(name, reference) is { } type) link["type"] = type;
            return link;
        }
        var (value, mediaType) = given switch
        {
            JsonValue bare => (bare, null),
            JsonObject qualified when qualified["value"] is JsonValue inner => (inner, MediaType(name, qualified)),
            _ => throw new ProcessInputException(name, $"The input '{name}' must be base64 text, {{\"value\": base64, \"mediaType\": …}} or {{\"href\": URL}}."),
        };
        if (value.GetValueKind() != JsonValueKind.String || !System.Buffers.Text.Base64.IsValid(value.GetValue<string>()))
            throw new ProcessInputException(name, $"The input '{name}' is not valid base64.");
        return new JsonObject { ["value"] = value.GetValue<string>(), ["mediaType"] = mediaType ?? DefaultBinaryType, ["encoding"] = Base64 };
    }

    /// <summary>The media type of a qualified value or reference: OGC API – Processes 1.0 puts it beside the value, later drafts (and the conformance suite) in "format".</summary>
    private static string? MediaType(string name, JsonObject qualified)
    {
        var format = qualified["format"] as JsonObject;
        var encoding = qualified["encoding"] ?? format?["encoding"];
        if (encoding is not null && (encoding.GetValueKind() != JsonValueKind.String || !encoding.GetValue<string>().Equals(Base64, StringComparison.OrdinalIgnoreCase)))
            throw new ProcessInputException(name, $"The input '{name}' has an encoding other than base64.");
        var type = qualified["mediaType"] ?? qualified["type"] ?? format?["mediaType"];
        if (type is null) return null;
        return type.GetValueKind() == JsonValueKind.String && type.GetValue<string>() is { } text && System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(text, out _)
            ? text
            : throw new ProcessInputException(name, $"The input '{name}' has a media type that is not one (type/subtype).");
    }
}
