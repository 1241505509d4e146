using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Formats.GeoJson;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Ingestion.Tests;

/// <summary>Source features built in code, for schema and conversion tests.</summary>
internal static class Features
{
    private static long _record;

    public static SourceFeature With(params (string Name, object? Value)[] properties) =>
        With(GeometryServices.Factory.CreatePoint(new Coordinate(1, 2)), properties);

    public static SourceFeature With(Geometry? geometry, params (string Name, object? Value)[] properties) =>
        new(Interlocked.Increment(ref _record), null, geometry, properties.Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)).ToList());
}
