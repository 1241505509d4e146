using System.Globalization;
using System.Text.Json;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace Meridian.Features.Api.Transactions;

/// <summary>
/// The geometry member of a written feature: a GeoJSON geometry (or null) of the collection's geometry type,
/// valid in the OGC Simple Features sense, with every position inside CRS84 and inside what the storage CRS can hold.
/// Positions come in the request's <c>Content-Crs</c> (in its axis order) and are turned into CRS84 first.
/// Every position of a geometry written to a collection with heights has one, and none written to one without
/// has one: a write is refused rather than given a made-up height of 0 or stripped of the heights it sent (loads
/// of files, which cannot be corrected record by record, give 0 instead; see SchemaInference).
/// </summary>
internal static class GeometryInput
{
    private const string Pointer = "/geometry";

    public static Geometry? Read(JsonElement element, CollectionSchema schema, Crs crs, InvalidMembers errors)
    {
        if (element.ValueKind == JsonValueKind.Null) return null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(Pointer, "must be a GeoJSON geometry object or null");
            return null;
        }
        Geometry? geometry;
        try
        {
            geometry = element.Deserialize<Geometry>(GeoJson.Options);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            errors.Add(Pointer, "is not a GeoJSON geometry: " + e.Message);
            return null;
        }
        if (geometry is null || geometry.IsEmpty) return null;
        if (!crs.IsCrs84)
        {
            try
            {
                geometry = crs.ToCrs84(geometry);
            }
            catch (ArgumentException)
            {
                errors.Add(Pointer, $"has positions outside what {crs.Uri} (Content-Crs) can express");
                return null;
            }
        }

        if (schema.GeometryType != GeometryKind.Geometry && GeometryKinds.Parse(geometry.GeometryType) != schema.GeometryType)
            errors.Add(Pointer, $"is a {geometry.GeometryType}, but collection '{schema.Id}' holds {schema.GeometryType} geometries");
        if (DimensionMismatch(geometry, schema) is { } mismatch) errors.Add(Pointer, mismatch);
        if (OutOfRange(geometry, schema) is { } reason)
        {
            errors.Add(Pointer, reason);
            return null; // validity of a geometry with infinite or absurd coordinates says nothing more
        }
        var validity = new IsValidOp(geometry);
        if (!validity.IsValid && validity.ValidationError is { } error)
            errors.Add(Pointer, $"is not valid: {error.Message} at ({Format(error.Coordinate)})");
        return geometry;
    }

    private static string? DimensionMismatch(Geometry geometry, CollectionSchema schema) => (Heights.Of(geometry), schema.HasZ) switch
    {
        (HeightsPresent.None, true) =>
            $"has positions of 2 numbers, but collection '{schema.Id}' holds geometries with heights: every position needs 3 (x, y, z)",
        (HeightsPresent.Some, true) =>
            $"mixes positions of 2 and 3 numbers, but collection '{schema.Id}' holds geometries with heights: every position needs 3 (x, y, z)",
        (not HeightsPresent.None, false) =>
            $"has positions with heights (3 numbers), but collection '{schema.Id}' holds two-dimensional geometries: every position needs 2 (x, y)",
        _ => null,
    };

    private static string? OutOfRange(Geometry geometry, CollectionSchema schema)
    {
        // Web Mercator cannot express the poles; its square ends at ±85.0511°.
        var maxLatitude = schema.StorageSrid == WebMercator.Srid ? WebMercator.MaxLatitude : 90;
        foreach (var c in geometry.Coordinates)
        {
            if (!double.IsFinite(c.X) || !double.IsFinite(c.Y) || Math.Abs(c.X) > 180 || Math.Abs(c.Y) > maxLatitude)
                return $"position ({Format(c)}) is outside CRS84 longitude -180..180 and latitude -{maxLatitude}..{maxLatitude}";
            if (double.IsInfinity(c.Z)) return $"position ({Format(c)}) has an infinite height";
        }
        return null;
    }

    private static string Format(Coordinate c) =>
        string.Create(CultureInfo.InvariantCulture, $"{c.X} {c.Y}");
}
