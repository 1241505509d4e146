using System.Text.Json;
using System.Text.Json.Serialization;
using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Validation;
using Meridian.Storage.Objects;

namespace Meridian.Ingestion.Jobs;

/// <summary>What an ingest job loads where: an object of the object store into a collection, with the user's choices.</summary>
public sealed record IngestJobInputs
{
    /// <summary>The object key of the uploaded file, e.g. raw/2026/11/30/…/places.geojson.</summary>
    [JsonPropertyName("object")]
    public required string Object { get; init; }

    [JsonPropertyName("collection")]
    public required string Collection { get; init; }

    [JsonPropertyName("mode")]
    public IngestMode Mode { get; init; } = IngestMode.Create;

    [JsonPropertyName("layer")]
    public string? Layer { get; init; }

    /// <summary>An EPSG code for files that declare no CRS or declare a wrong one.</summary>
    [JsonPropertyName("crs")]
    public int? Crs { get; init; }

    [JsonPropertyName("invalidGeometries")]
    public InvalidGeometryPolicy InvalidGeometries { get; init; } = InvalidGeometryPolicy.Repair;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A misspelt option ("mdoe") is an error rather than a silently ignored choice.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public IngestRequest ToRequest() => new(Collection)
    {
        Mode = Mode,
        Layer = Layer,
        Crs = Crs is { } code ? SourceCrs.FromEpsg(code) : null,
        Validation = new ValidationOptions { InvalidGeometries = InvalidGeometries },
    };

    /// <summary>Checks what JSON binding cannot: a usable object key and collection name.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!ObjectKey.TryParse(Object, out _, out var keyError)) problems.Add($"object: {keyError}");
        if (string.IsNullOrWhiteSpace(Collection)) problems.Add("collection: a collection name is required.");
        if (Crs is < 1 or > 999_999) problems.Add($"crs: {Crs} is not an EPSG code.");
        return problems;
    }
}
