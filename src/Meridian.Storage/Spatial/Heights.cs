using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;

namespace Meridian.Storage.Spatial;

/// <summary>Which positions of a geometry have a height.</summary>
public enum HeightsPresent
{
    /// <summary>None (or the geometry has no positions).</summary>
    None,

    /// <summary>Some, not all.</summary>
    Some,

    /// <summary>Every one.</summary>
    All,
}

/// <summary>
/// The heights (Z) of geometries as NetTopologySuite holds them: a position without one has a Z of NaN (a 2D
/// coordinate reports NaN too), so "has a height" means "has a Z that is a number".
/// </summary>
public static class Heights
{
    public static HeightsPresent Of(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var probe = new Probe();
        geometry.Apply(probe);
        return probe.WithHeight == 0 ? HeightsPresent.None : probe.WithoutHeight == 0 ? HeightsPresent.All : HeightsPresent.Some;
    }

    /// <summary>Whether any position of the geometry has a height.</summary>
    public static bool Any(Geometry geometry) => Of(geometry) != HeightsPresent.None;

    /// <summary>
    /// The geometry with a height at every position: those without one get 0 (what PostGIS's ST_Force3DZ gives),
    /// those with one keep it; measures are dropped (a 3D Shapefile's PointZ carries them), as the stores drop them.
    /// The geometry itself when every position has a height and none a measure already.
    /// </summary>
    public static Geometry Fill(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var probe = new Probe();
        geometry.Apply(probe);
        if (probe.WithHeight > 0 && probe.WithoutHeight == 0 && !probe.Measured) return geometry;
        // GeometryEditor, not GeometryTransformer: the transformer turns a collection of one part into that part (a
        // Shapefile's single-part MultiLineString into a LineString), which a store's typed column then refuses.
        var filled = new GeometryEditor(geometry.Factory).Edit(geometry, new GeometryEditor.CoordinateSequenceOperation(ZeroWhereMissing));
        filled.SRID = geometry.SRID;
        return filled;
    }

    private sealed class Probe : IEntireCoordinateSequenceFilter
    {
        public int WithHeight { get; private set; }

        public int WithoutHeight { get; private set; }

        /// <summary>Whether any sequence carries measures (M), whatever their values.</summary>
        public bool Measured { get; private set; }

        public bool Done => WithHeight > 0 && WithoutHeight > 0 && Measured;

        public bool GeometryChanged => false;

        public void Filter(CoordinateSequence seq)
        {
            Measured |= seq.HasM;
            for (var i = 0; i < seq.Count; i++)
            {
                if (seq.HasZ && !double.IsNaN(seq.GetZ(i))) WithHeight++;
                else WithoutHeight++;
            }
        }
    }

    /// <summary>The sequence as x, y, z, with 0 where a position has no height (measures are dropped, as the stores drop them).</summary>
    private static CoordinateSequence ZeroWhereMissing(CoordinateSequence coords, Geometry parent)
    {
        var filled = parent.Factory.CoordinateSequenceFactory.Create(coords.Count, 3, 0);
        for (var i = 0; i < coords.Count; i++)
        {
            filled.SetX(i, coords.GetX(i));
            filled.SetY(i, coords.GetY(i));
            var z = coords.HasZ ? coords.GetZ(i) : double.NaN;
            filled.SetZ(i, double.IsNaN(z) ? 0 : z);
        }
        return filled;
    }
}
