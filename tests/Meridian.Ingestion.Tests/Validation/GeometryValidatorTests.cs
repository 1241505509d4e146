using Meridian.Ingestion.Validation;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Meridian.Ingestion.Tests.Validation;

public sealed class GeometryValidatorTests
{
    private static readonly GeometryValidator Repairing = new(new ValidationOptions());
    private static readonly GeometryValidator Rejecting = new(new ValidationOptions { InvalidGeometries = InvalidGeometryPolicy.Reject });

    private static Geometry Wkt(string wkt) => new WKTReader().Read(wkt);

    [Fact]
    public void A_coordinate_out_of_range_is_numbered_across_the_rings_as_in_the_geometrys_coordinates()
    {
        // The shell has 5 coordinates; the hole's third is the 8th of the polygon.
        var polygon = Wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 3 2, 3 200, 2 2))");

        var check = Repairing.Check(polygon);

        Assert.Null(check.Geometry);
        Assert.StartsWith("coordinate 8 (3 200) is outside longitude -180..180", check.Rejection);
    }

    /// <summary>
    /// Natural Earth's Fiji (in the OGC CQL2 test dataset too) reaches 180.00000000000006: rounding noise, not a
    /// wrong CRS. Such a coordinate is put on the edge rather than costing the record.
    /// </summary>
    [Fact]
    public void A_coordinate_beyond_the_range_by_rounding_noise_is_put_on_the_edge()
    {
        var polygon = Wkt("POLYGON ((179 -17, 180.00000000000006 -17, 180.00000000000006 -16, 179 -16, 179 -17))");

        var check = Repairing.Check(polygon);

        Assert.Null(check.Rejection);
        Assert.Equal(180, check.Geometry!.EnvelopeInternal.MaxX);
        Assert.Equal(180.00000000000006, polygon.EnvelopeInternal.MaxX); // the source geometry is left as it was
        Assert.StartsWith("coordinate 2 (180.0001 -17) is outside", Repairing.Check(Wkt("LINESTRING (179 -17, 180.0001 -17)")).Rejection);
    }

    [Fact]
    public void A_point_out_of_range_is_rejected_and_one_in_range_accepted_as_it_is()
    {
        var inside = Wkt("POINT (179.5 -89.5)");

        Assert.Same(inside, Repairing.Check(inside).Geometry);
        Assert.StartsWith("coordinate 2 (1 95) is outside", Repairing.Check(Wkt("MULTIPOINT ((0 0), (1 95))")).Rejection);
    }

    [Fact]
    public void A_multipoint_with_repeated_points_is_valid_as_IsValidOp_says()
    {
        var points = Wkt("MULTIPOINT ((1 1), (1 1), (2 2))");

        var check = Rejecting.Check(points);

        Assert.Null(check.Rejection);
        Assert.False(check.Repaired);
    }

    [Fact]
    public void An_infinite_Z_is_an_infinite_height()
    {
        var point = new GeometryFactory().CreatePoint(new CoordinateZ(1, 2, double.PositiveInfinity));

        Assert.Equal("coordinate 1 (1 2) has an infinite height", Repairing.Check(point).Rejection);
    }

    [Fact]
    public void A_bow_tie_is_repaired_or_rejected_by_policy()
    {
        var bowTie = Wkt("POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))");

        var repaired = Repairing.Check(bowTie);
        var rejected = Rejecting.Check(bowTie);

        Assert.True(repaired.Repaired);
        Assert.Equal("MultiPolygon", repaired.Geometry!.GeometryType);
        Assert.StartsWith("invalid Polygon: Self-intersection", rejected.Rejection);
    }
}
