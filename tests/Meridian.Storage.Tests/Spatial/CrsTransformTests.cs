using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Tests.Spatial;

/// <summary>Transforms in process, checked against PostGIS 3.3 (PROJ 9) ST_Transform of the same points.</summary>
public sealed class CrsTransformTests
{
    private static Point Point(double x, double y) => GeometryServices.Factory.CreatePoint(new Coordinate(x, y));

    /// <summary>Expected x and y as PostGIS stores them (east, north); tolerance 1 m where a datum shift is involved.</summary>
    [Theory]
    [InlineData(3857, 2.35, 48.85, 261600.8033641929, 6249447.75279128, 0.01)]
    [InlineData(3395, 2.35, 48.85, 261600.8033641929, 6217256.085318084, 0.01)]
    [InlineData(25832, 13.4, 52.52, 798473.8017797023, 5827979.188147819, 0.01)]
    [InlineData(25833, 13.4, 52.52, 391440.03206915467, 5820079.666748663, 0.01)]
    [InlineData(32632, 9.19, 45.46, 514854.59885327885, 5034070.191608519, 0.01)]
    [InlineData(32756, 151.2, -33.87, 333510.65008074325, 6250800.241183555, 0.01)]
    [InlineData(2154, 2.35, 48.85, 652301.5648305281, 6861302.725899576, 0.01)]
    [InlineData(3035, 13.4, 52.52, 4551697.475619794, 3273252.4071668168, 0.01)]
    [InlineData(5070, -104.99, 39.74, -762375.2147677346, 1893930.439596268, 0.01)]
    [InlineData(27700, -0.1276, 51.5072, 530043.1949814068, 180358.20862000482, 1)]
    [InlineData(2056, 8.54, 47.37, 2683186.2855802407, 1247156.744091096, 1)]
    [InlineData(31287, 16.37, 48.21, 625633.3838385174, 483376.11860548524, 1)]
    [InlineData(3413, -45, 75, 0, -1633879.4974707854, 0.01)]
    [InlineData(3413, 100, 60, 1906086.425457645, 2722173.5291955355, 0.01)]
    [InlineData(3031, 166.67, -77.85, 305467.16273227485, -1289201.537713634, 0.01)]
    [InlineData(3031, -60, -65, -2388932.766882399, 1379250.976035471, 0.01)]
    public void FromCrs84_MatchesPostGis_AndToCrs84GoesBack(int code, double lon, double lat, double east, double north, double tolerance)
    {
        var crs = CrsRegistry.FindEpsg(code)!;

        var projected = (Point)crs.FromCrs84(Point(lon, lat))!;

        var (first, second) = crs.NorthingFirst ? (north, east) : (east, north);
        Assert.Equal(first, projected.X, tolerance);
        Assert.Equal(second, projected.Y, tolerance);
        Assert.Equal(code, projected.SRID);
        var back = (Point)crs.ToCrs84(projected);
        Assert.Equal(lon, back.X, 6);
        Assert.Equal(lat, back.Y, 6);
    }

    /// <summary>Web Mercator's square ends at ±85.0511°: a latitude beyond lands on its edge, not at y = ±2.4e8 m.</summary>
    [Theory]
    [InlineData(-90, -WebMercator.Extent)]
    [InlineData(90, WebMercator.Extent)]
    [InlineData(86, WebMercator.Extent)]
    [InlineData(-85.05112877980659, -WebMercator.Extent)]
    public void FromCrs84_WebMercatorBeyondItsSquare_ClampsOntoItsEdge(double latitude, double y)
    {
        var projected = (Point)CrsRegistry.FindEpsg(3857)!.FromCrs84(Point(10, latitude))!;

        Assert.Equal(WebMercator.X(10), projected.X, 0.0001);
        Assert.Equal(y, projected.Y, 0.0001);
    }

    [Fact]
    public void FromCrs84_OtherProjectionsNearThePole_KeepTheirOwnBand()
    {
        // EPSG:3395 (World Mercator) is not Web Mercator: it keeps the general band, so 86° is no longer clamped to 85.05°.
        var world = (Point)CrsRegistry.FindEpsg(3395)!.FromCrs84(Point(10, 86))!;

        Assert.True(world.Y > WebMercator.Extent, $"{world.Y}");
    }

    [Fact]
    public void FromCrs84_Epsg4326_SwapsToLatitudeFirst()
    {
        var crs = CrsRegistry.FindEpsg(4326)!;

        var point = (Point)crs.FromCrs84(Point(2.35, 48.85))!;

        Assert.Equal((48.85, 2.35), (point.X, point.Y));
        Assert.Equal((2.35, 48.85), (crs.ToCrs84(point).Coordinate.X, crs.ToCrs84(point).Coordinate.Y));
    }

    [Fact]
    public void FromCrs84_Crs84_IsTheSameGeometry()
    {
        var point = Point(2.35, 48.85);

        Assert.Same(point, CrsRegistry.Crs84.FromCrs84(point));
        Assert.Same(point, CrsRegistry.Crs84.ToCrs84(point));
    }

    [Fact]
    public void FromCrs84_RoundsToTheUnitsPrecision()
    {
        var metres = (Point)CrsRegistry.FindEpsg(3857)!.FromCrs84(Point(2.35, 48.85))!;
        var degrees = (Point)CrsRegistry.FindEpsg(4326)!.FromCrs84(Point(2.123456789012, 48.123456789012))!;

        Assert.Equal(261600.8034, metres.X);
        Assert.Equal((48.123456789, 2.123456789), (degrees.X, degrees.Y));
    }

    [Fact]
    public void FromCrs84_Polygon_TransformsEveryVertex()
    {
        var polygon = TestPlaces.Wkt.Read("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))");

        var projected = CrsRegistry.FindEpsg(3857)!.FromCrs84(polygon)!;

        Assert.Equal(5, projected.NumPoints);
        Assert.Equal(WebMercator.X(10), projected.EnvelopeInternal.MaxX, 3);
        Assert.Equal(WebMercator.Y(10), projected.EnvelopeInternal.MaxY, 3);
    }

    [Fact]
    public void BoxToCrs84_WebMercatorBox_IsTheExactCrs84Box()
    {
        var box = new Envelope(WebMercator.X(0), WebMercator.X(20), WebMercator.Y(40), WebMercator.Y(60));

        var crs84 = Assert.Single(CrsRegistry.FindEpsg(3857)!.BoxToCrs84(box));

        Assert.Equal(0, crs84.MinX, 9);
        Assert.Equal(20, crs84.MaxX, 9);
        Assert.Equal(40, crs84.MinY, 9);
        Assert.Equal(60, crs84.MaxY, 9);
    }

    [Fact]
    public void BoxToCrs84_UtmBox_CoversTheCurvedEdges()
    {
        // A UTM box's northern edge bows north of its corners in latitude: the densified edge reaches further.
        var crs = CrsRegistry.FindEpsg(32632)!;
        var box = new Envelope(300000, 700000, 5000000, 5400000);

        var crs84 = Assert.Single(crs.BoxToCrs84(box));

        var corner = crs.ToCrs84(Point(700000, 5400000)).Coordinate;
        var middle = crs.ToCrs84(Point(500000, 5400000)).Coordinate;
        Assert.True(middle.Y > corner.Y);
        Assert.Equal(middle.Y, crs84.MaxY, 9);
        Assert.InRange(crs84.MinX, 6, 7);
        Assert.InRange(crs84.MaxX, 11, 12);
    }

    [Fact]
    public void BoxToCrs84_AcrossTheAntimeridian_IsSplitInTwo()
    {
        // UTM zone 60 (central meridian 177°E) reaches past 180° on its eastern side.
        var boxes = CrsRegistry.FindEpsg(32760)!.BoxToCrs84(new Envelope(400000, 900000, 8000000, 8100000));

        Assert.Equal(2, boxes.Count);
        Assert.Equal(180, boxes[0].MaxX);
        Assert.Equal(-180, boxes[1].MinX);
        Assert.InRange(boxes[0].MinX, 175, 177);
        Assert.InRange(boxes[1].MaxX, -180, -177);
    }

    [Fact]
    public void BoxToCrs84_AroundTheSouthPole_ReachesItAtEveryLongitude()
    {
        var box = Assert.Single(CrsRegistry.FindEpsg(3031)!.BoxToCrs84(new Envelope(-1_000_000, 1_000_000, -1_000_000, 1_000_000)));

        Assert.Equal((-180, 180, -90), (box.MinX, box.MaxX, box.MinY));
        Assert.InRange(box.MaxY, -78, -76); // the corners, 1,414 km from the pole
    }

    [Fact]
    public void BoxToCrs84_AroundThePole_ReachesItAtEveryLongitude()
    {
        // LAEA Europe puts the North Pole at easting 4,321,000 m, northing 7,369,716 m (PostGIS).
        var box = Assert.Single(CrsRegistry.FindEpsg(3035)!.BoxToCrs84(new Envelope(3_821_000, 4_821_000, 6_869_716, 7_869_716)));

        Assert.Equal((-180, 180, 90), (box.MinX, box.MaxX, box.MaxY));
        Assert.InRange(box.MinY, 82, 86);
    }

    /// <summary>
    /// OGC API - Features Part 2 /req/crs/fc-bbox-crs-action: a box in a supported CRS selects what intersects it,
    /// even when it reaches past the world's edge, as a map zoomed out in Web Mercator asks (QGIS sends its
    /// canvas with bbox-crs). It used to be a 400 "outside the area the CRS can express".
    /// </summary>
    [Theory]
    [InlineData(3857)]
    [InlineData(3395)]
    public void BoxToCrs84_MercatorBoxWiderThanTheWorld_CoversEveryLongitude(int code)
    {
        var box = Assert.Single(CrsRegistry.FindEpsg(code)!.BoxToCrs84(new Envelope(-25_000_000, 25_000_000, -1_000_000, 1_000_000)));

        Assert.Equal((-180, 180), (box.MinX, box.MaxX));
        Assert.InRange(box.MaxY, 8, 10);
    }

    [Fact]
    public void BoxToCrs84_MercatorBoxPastTheEasternEdge_StopsThere()
    {
        var box = Assert.Single(CrsRegistry.FindEpsg(3857)!.BoxToCrs84(new Envelope(WebMercator.X(170), 21_000_000, WebMercator.Y(10), WebMercator.Y(20))));

        Assert.Equal(170, box.MinX, 9);
        Assert.Equal(180, box.MaxX);
        Assert.Equal(10, box.MinY, 9);
    }

    [Fact]
    public void BoxToCrs84_UtmBoxFarOutsideItsZone_Throws()
    {
        Assert.Throws<ArgumentException>(() => CrsRegistry.FindEpsg(32631)!.BoxToCrs84(new Envelope(-50_000_000, 50_000_000, -100_000_000, 100_000_000)));
    }

    [Fact]
    public void ToCrs84_OutsideTheProjection_Throws()
    {
        Assert.Throws<ArgumentException>(() => CrsRegistry.FindEpsg(3857)!.ToCrs84(Point(1e30, 0)));
    }

    [Fact]
    public void EveryDefinition_IsReadByProjNet()
    {
        foreach (var crs in CrsRegistry.All)
        {
            var point = crs.FromCrs84(Point(0.001, 0.001));
            Assert.NotNull(point);
        }
    }
}
