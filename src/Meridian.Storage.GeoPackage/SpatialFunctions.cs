using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Meridian.Storage.GeoPackage;

/// <summary>
/// SQL functions a GeoPackage connection needs. The R-tree triggers that the GeoPackage spec (and GDAL)
/// put on feature tables call ST_MinX…ST_IsEmpty, so every connection that writes must define them.
/// </summary>
internal static class SpatialFunctions
{
    public static void RegisterTriggerFunctions(SqliteConnection connection)
    {
        connection.CreateFunction("ST_IsEmpty", (byte[]? blob) => blob is null || GeoPackageBlob.IsEmpty(blob), isDeterministic: true);
        connection.CreateFunction("ST_MinX", (byte[]? blob) => Bound(blob, e => e.MinX), isDeterministic: true);
        connection.CreateFunction("ST_MaxX", (byte[]? blob) => Bound(blob, e => e.MaxX), isDeterministic: true);
        connection.CreateFunction("ST_MinY", (byte[]? blob) => Bound(blob, e => e.MinY), isDeterministic: true);
        connection.CreateFunction("ST_MaxY", (byte[]? blob) => Bound(blob, e => e.MaxY), isDeterministic: true);
    }

    /// <summary>
    /// Defines <c>meridian_intersects(geom)</c> for one query: true when the geometry intersects any of the
    /// query boxes (in storage coordinates). The R-tree has already narrowed the rows to envelope hits.
    /// </summary>
    public static void RegisterIntersects(SqliteConnection connection, IReadOnlyList<Geometry> areas, int srid)
    {
        var prepared = areas.Select(a => (Envelope: a.EnvelopeInternal, Area: PreparedGeometryFactory.Prepare(a))).ToArray();
        connection.CreateFunction("meridian_intersects", (byte[]? blob) =>
        {
            if (blob is null || GeoPackageBlob.IsEmpty(blob)) return false;
            // An envelope inside a box settles it without parsing the geometry.
            if (GeoPackageBlob.HeaderEnvelope(blob) is { } env && prepared.Any(p => p.Envelope.Contains(env))) return true;
            var geometry = GeoPackageBlob.Read(blob, srid);
            if (geometry is null) return false;
            return prepared.Any(p => p.Envelope.Intersects(geometry.EnvelopeInternal) && p.Area.Intersects(geometry));
        }, isDeterministic: true);
    }

    private static double? Bound(byte[]? blob, Func<Envelope, double> pick)
    {
        if (blob is null || GeoPackageBlob.IsEmpty(blob)) return null;
        var envelope = GeoPackageBlob.HeaderEnvelope(blob) ?? GeoPackageBlob.Read(blob, 0)?.EnvelopeInternal;
        return envelope is null ? null : pick(envelope);
    }
}
