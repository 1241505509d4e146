using System.Runtime.CompilerServices;
using Meridian.Storage;
using Meridian.Storage.Filtering;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;

namespace Meridian.Processing.Library;

/// <summary>
/// Features flowing through a process: their properties' schema, geometry type and a stream that can be
/// enumerated again (each enumeration reads the source anew), so that nothing is held in memory unless a
/// process needs it all (a dissolve, a join's polygons). Geometries are CRS84 unless <see cref="Srid"/> says otherwise.
/// </summary>
public sealed record FeatureSet(IReadOnlyList<PropertySchema> Properties, GeometryKind GeometryType, IAsyncEnumerable<FeatureRecord> Features)
{
    /// <summary>The EPSG code of the geometries (x east, y north); 4326 means CRS84.</summary>
    public int Srid { get; init; } = GeometryServices.Crs84Srid;

    /// <summary>The collection and filter the features come from, when they come from one: what SQL push-down needs.</summary>
    public CollectionSource? Origin { get; init; }

    /// <summary>Each feature mapped (or dropped, when the map returns null) as the stream flows.</summary>
    public FeatureSet Map(GeometryKind geometryType, Func<FeatureRecord, FeatureRecord?> map) =>
        new(Properties, geometryType, MapAsync(Features, map));

    /// <summary>Each geometry mapped (features whose geometry maps to null or empty are dropped), properties kept.</summary>
    public FeatureSet MapGeometry(GeometryKind geometryType, Func<NetTopologySuite.Geometries.Geometry, NetTopologySuite.Geometries.Geometry?> map) =>
        Map(geometryType, f => f.Geometry is { IsEmpty: false } g && Shapes.Coerce(map(g), geometryType) is { } mapped ? f with { Geometry = mapped } : null);

    public async Task<List<FeatureRecord>> ToListAsync(CancellationToken cancellationToken)
    {
        var list = new List<FeatureRecord>();
        await foreach (var feature in Features.WithCancellation(cancellationToken)) list.Add(feature);
        return list;
    }

    public static FeatureSet Of(IReadOnlyList<PropertySchema> properties, GeometryKind geometryType, IReadOnlyList<FeatureRecord> features) =>
        new(properties, geometryType, features.ToAsyncEnumerable());

    private static async IAsyncEnumerable<FeatureRecord> MapAsync(
        IAsyncEnumerable<FeatureRecord> source, Func<FeatureRecord, FeatureRecord?> map, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var feature in source.WithCancellation(cancellationToken))
        {
            if (map(feature) is { } mapped) yield return mapped;
        }
    }
}

/// <summary>A collection of a store and the bound CQL2 filter that selects the input's features from it.</summary>
public sealed record CollectionSource(IFeatureCollection Collection, Filter? Filter);
