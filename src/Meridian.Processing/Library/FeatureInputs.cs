using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Features.Api;
using Meridian.Features.Cql2;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Problems;
using Meridian.Processing.Processes;
using Meridian.Storage;
using Meridian.Storage.Filtering;
using Meridian.Storage.Objects;
using Meridian.Storage.Querying;

namespace Meridian.Processing.Library;

/// <summary>
/// Resolves a feature input of a process: <c>{"collection": ID, "filter": CQL2}</c> (a collection of any store,
/// streamed), <c>{"object": KEY}</c> (a GeoJSON file in the object store), or inline GeoJSON.
/// </summary>
public sealed class FeatureInputs(CollectionCatalog catalog, IObjectStore objects)
{
    /// <summary>GeoJSON objects are parsed whole; larger inputs belong in a collection, which streams.</summary>
    public const long MaxObjectBytes = 256L * 1024 * 1024;

    public static JsonObject Schema(string what) => new()
    {
        ["description"] = $"{what}: a collection ({{\"collection\": ID, \"filter\": CQL2 text or JSON}}), a GeoJSON object in the object store "
            + "({\"object\": KEY}), or inline GeoJSON (FeatureCollection, Feature or geometry) in CRS84.",
        ["oneOf"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "object",
                ["required"] = new JsonArray("collection"),
                ["properties"] = new JsonObject
                {
                    ["collection"] = new JsonObject { ["type"] = "string" },
                    ["filter"] = new JsonObject { ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "object" }) },
                },
            },
            new JsonObject { ["type"] = "object", ["required"] = new JsonArray("object"), ["properties"] = new JsonObject { ["object"] = new JsonObject { ["type"] = "string" } } },
            new JsonObject { ["type"] = "object", ["contentMediaType"] = "application/geo+json", ["required"] = new JsonArray("type") }),
    };

    public async Task<FeatureSet> ReadAsync(string input, JsonNode? value, CancellationToken cancellationToken)
    {
        if (value is not JsonObject json) throw new ProcessInputException(input, $"'{input}' must be an object: {{\"collection\": ID}}, {{\"object\": KEY}} or GeoJSON.");
        if (json.ContainsKey("collection")) return await FromCollectionAsync(input, json, cancellationToken);
        if (json.ContainsKey("object")) return await FromObjectAsync(input, json, cancellationToken);
        return GeoJsonFeatures.Read(input, json);
    }

    /// <summary>
    /// In the caller's request: a collection input must name a collection the caller sees (and a filter that binds to
    /// it), since the worker that may run the execution sees every tenant's. Other inputs are read when the process runs.
    /// </summary>
    public async Task AdmitAsync(string input, JsonNode? value, CancellationToken cancellationToken)
    {
        if (value is JsonObject json && json.ContainsKey("collection")) await FromCollectionAsync(input, json, cancellationToken);
    }

    private async Task<FeatureSet> FromCollectionAsync(string input, JsonObject json, CancellationToken cancellationToken)
    {
        if (json.Any(m => m.Key is not ("collection" or "filter")))
            throw new ProcessInputException(input, $"'{input}': a collection input takes only 'collection' and 'filter'.");
        var id = StringMember(input, json, "collection");
        IFeatureCollection collection;
        try
        {
            collection = await catalog.GetAsync(id, cancellationToken);
        }
        catch (ProblemException)
        {
            throw new ProcessInputException(input, $"'{input}': there is no collection '{id}'.");
        }
        var filter = ParseFilter(input, json["filter"], collection);
        var query = new FeatureQuery { Filter = filter, Limit = int.MaxValue };
        return new FeatureSet(collection.Schema.Properties, collection.Schema.GeometryType, StreamAsync(collection, query))
        {
            Origin = new CollectionSource(collection, filter),
        };
    }

    private static Filter? ParseFilter(string input, JsonNode? node, IFeatureCollection collection)
    {
        if (node is null) return null;
        try
        {
            var expression = node switch
            {
                JsonValue text when text.GetValueKind() == JsonValueKind.String => Cql2TextParser.Parse(text.GetValue<string>(), Cql2ParserOptions.Default),
                JsonObject cql2Json => Cql2JsonParser.Parse(cql2Json.ToJsonString(), Cql2ParserOptions.Default),
                _ => throw new ProcessInputException(input, $"'{input}': 'filter' must be CQL2 text (a string) or CQL2 JSON (an object)."),
            };
            return FilterParameters.BinderFor(collection.Schema).Bind(expression);
        }
        catch (Cql2Exception e)
        {
            throw new ProcessInputException(input, $"'{input}': the filter is not valid: {e.Message}.");
        }
    }

    private static async IAsyncEnumerable<FeatureRecord> StreamAsync(IFeatureCollection collection, FeatureQuery query,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var properties = collection.Schema.Properties;
        await using var reader = await collection.QueryAsync(query, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new Dictionary<string, object?>(properties.Count, StringComparer.Ordinal);
            for (var i = 0; i < properties.Count; i++) values[properties[i].Name] = reader.GetValue(i);
            var geometry = reader.ReadGeometry();
            if (geometry is null || geometry.IsEmpty) continue;
            yield return new FeatureRecord(reader.Id, geometry, values);
        }
    }

    private async Task<FeatureSet> FromObjectAsync(string input, JsonObject json, CancellationToken cancellationToken)
    {
        var text = StringMember(input, json, "object");
        if (!ObjectKey.TryParse(text, out var key, out var error)) throw new ProcessInputException(input, $"'{input}': {error}");
        var info = await objects.GetInfoAsync(key, cancellationToken)
            ?? throw new ProcessInputException(input, $"'{input}': there is no object '{text}'.");
        if (info.Size > MaxObjectBytes)
            throw new ProcessInputException(input, $"'{input}': the object is larger than {MaxObjectBytes / (1024 * 1024)} MiB; ingest it into a collection first.");
        JsonNode? node;
        try
        {
            await using var stream = await objects.OpenReadAsync(key, cancellationToken);
            node = await JsonNode.ParseAsync(stream, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            throw new ProcessInputException(input, $"'{input}': the object is not GeoJSON: {e.Message}");
        }
        return node is JsonObject geoJson
            ? GeoJsonFeatures.Read(input, geoJson)
            : throw new ProcessInputException(input, $"'{input}': the object is not a GeoJSON object.");
    }

    private static string StringMember(string input, JsonObject json, string member) =>
        json[member] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text
            ? text
            : throw new ProcessInputException(input, $"'{input}': '{member}' must be a non-empty string.");
}
