using System.Text.Json;
using System.Text.Json.Serialization;
using Meridian.Storage.Schema;

namespace Meridian.Backup;

/// <summary>
/// <c>manifest.json</c>, the archive's last entry: what the archive holds and the SHA-256 of every other entry. A restore
/// reads it first and checks every entry against it before it writes anything. Its shape is the archive format:
/// <see cref="Format"/> changes whenever a reader of an older one would misread a newer one.
/// </summary>
internal sealed record BackupManifest(
    int Format,
    string MeridianVersion,
    DateTimeOffset Created,
    IReadOnlyList<CollectionEntry> Collections,
    string? Keys,
    IReadOnlyList<DocumentEntry> Documents,
    IReadOnlyList<ArchiveEntry> Entries)
{
    public const int CurrentFormat = 1;

    public const string EntryName = "manifest.json";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        // A member left out or null where the format has a value is a damaged manifest, not a default.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}

/// <summary>One file of the archive besides the manifest: its uncompressed size and SHA-256 (lowercase hex).</summary>
internal sealed record ArchiveEntry(string Name, long Bytes, string Sha256);

/// <summary>
/// A collection: its schema as the store described it when the snapshot was read, its owner tenant (none: public),
/// how many features its entry holds, and the entry (GeoJSON text sequence, one feature a line, coordinates in
/// <see cref="Srid"/>, x east and y north) and whether its geometries have heights (archives made before it was recorded
/// read as false: a PostGIS restore then gives the table heights when the first geometry with one comes).
/// </summary>
internal sealed record CollectionEntry(
    string Id,
    string Title,
    string? Description,
    GeometryKind GeometryType,
    int Srid,
    FeatureIdKind IdKind,
    IReadOnlyList<PropertyEntry> Properties,
    string? TemporalProperty,
    string? Owner,
    long Features,
    string Entry,
    bool HasZ = false)
{
    public static CollectionEntry From(CollectionSchema schema, string? owner, long features, string entry) => new(
        schema.Id, schema.Title, schema.Description, schema.GeometryType, schema.StorageSrid, schema.IdKind,
        schema.Properties.Select(p => new PropertyEntry(p.Name, p.Type, p.Nullable, p.MaxLength)).ToList(), schema.TemporalProperty,
        owner, features, entry, schema.HasZ);

    public CollectionSchema ToSchema() => new(Id, Title, Description, GeometryType, Srid, IdKind,
        Properties.Select(p => new PropertySchema(p.Name, p.Type, p.Nullable, p.MaxLength)).ToList(), TemporalProperty)
    {
        HasZ = HasZ,
    };
}

internal sealed record PropertyEntry(string Name, PropertyType Type, bool Nullable, int? MaxLength);

/// <summary>A document of the object store's reserved area (a workflow definition, its owner, a subscription): its key there and its entry.</summary>
internal sealed record DocumentEntry(string Key, string Entry);

/// <summary>One API key as the key store holds it: never the key, only its SHA-256, which is all authentication needs.</summary>
internal sealed record KeyEntry(
    string Id, string Tenant, IReadOnlyList<string> Scopes, string? Name, DateTimeOffset Created, DateTimeOffset? Expires, DateTimeOffset? Revoked, string Hash);
