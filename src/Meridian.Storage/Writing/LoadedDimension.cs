using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Writing;

/// <summary>
/// How a bulk load fits each geometry to the dimension of the layer it goes into, the same in every store, so that
/// an append gives the same outcome in PostGIS and in a GeoPackage. A layer with heights takes a 2D geometry with a
/// height of 0 at every position (what PostGIS's ST_Force3DZ and GDAL give): a flat file appended to a 3D
/// collection, or a GPX point without elevation, is not lost for lacking them, and the layer stays all-3D. A layer
/// without heights refuses a geometry with heights, naming the feature: storing it would either drop the heights
/// silently or make a layer that declares itself 2D hold 3D geometries (PostGIS's typmod refuses that anyway).
/// The refusal fails the whole load, which writes nothing; replacing the collection keeps the heights.
/// </summary>
public static class LoadedDimension
{
    /// <summary>
    /// The geometry as <paramref name="layer"/> stores it (see the class summary); throws
    /// <see cref="InvalidFeatureException"/> for one with heights when the layer has none. <paramref name="position"/>
    /// is the feature's place in the load, from 1, for the message.
    /// </summary>
    public static Geometry Fit(Geometry geometry, CollectionSchema layer, FeatureRecord feature, long position)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(layer);
        if (layer.HasZ) return Heights.Fill(geometry);
        if (Heights.Any(geometry))
        {
            throw new InvalidFeatureException(
                $"{Describe(feature, position)} has heights (z), but '{layer.Id}' holds two-dimensional geometries; replace the collection to keep them.");
        }
        return geometry;
    }

    /// <summary>A feature of a load as its errors name it: "Feature #2 (id '17')", its place in the load and its id when it has one.</summary>
    public static string Describe(FeatureRecord feature, long position)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return feature.Id is null ? $"Feature #{position}" : $"Feature #{position} (id '{feature.Id}')";
    }
}
