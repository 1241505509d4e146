using Meridian.Processing.Library;
using Meridian.Processing.Library.Processes;
using Meridian.Processing.Processes;
using Meridian.Storage.Schema;
using NetTopologySuite.Geometries;

namespace Meridian.Processing.Tests.Library.Processes;

/// <summary>
/// Buffers in metres, checked against PostGIS's geography ST_Buffer as the oracle: NetTopologySuite's path (inline
/// features, a GeoPackage collection) and the SQL path (a PostGIS collection into a new PostGIS collection) alike.
/// </summary>
public sealed class BufferProcessTests(PostGisFixture postGis) : IClassFixture<PostGisFixture>
{
    private const double Tolerance = 1e-7; // about a centimetre

    private Task<string> OracleAsync(string sql) => postGis.Database.ScalarAsync<string>($"SELECT ST_AsText({sql})");

    [Fact]
    public async Task Execute_InlinePoint_AsPostGisGeographyBuffer()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<BufferProcess>(), $$"""
            {"input": {{ProcessHarness.Features("POINT (10 50)", "LINESTRING (-70 -33, -70.01 -33.02)")}}, "distance": 1000}
            """);

        var geometries = ProcessHarness.Geometries(results);
        GeometryAssert.Near(await OracleAsync("ST_Multi(ST_Buffer('SRID=4326;POINT(10 50)'::geography, 1000)::geometry)"), geometries[0], Tolerance);
        GeometryAssert.Near(await OracleAsync("ST_Multi(ST_Buffer('SRID=4326;LINESTRING(-70 -33, -70.01 -33.02)'::geography, 1000)::geometry)"), geometries[1], Tolerance);
        // A 1 km disc: π km², less the 32-gon's shortfall.
        Assert.Equal(Math.PI * 1e6, Geodesy.Area(geometries[0]), 0.01 * Math.PI * 1e6);
    }

    [Theory]
    [InlineData("geopackage")]
    [InlineData("postgis")]
    public async Task Execute_FilteredCollectionIntoACollection_SameOnBothStores(string store)
    {
        await using var harness = ProcessHarness.For(store, postGis.Database);
        await harness.LoadAsync("places", GeometryKind.Point, ("POINT (10 50)", "a", 1), ("POINT (10.01 50)", "b", 2), ("POINT (20 50)", "c", 3));

        var results = await ProcessHarness.RunAsync(harness.Create<BufferProcess>(), """
            {"input": {"collection": "places", "filter": "value < 3"}, "distance": 500, "output": {"collection": "zones"}}
            """);

        Assert.Equal(2, (long)results["result"]!["features"]!);
        var zones = (await harness.ReadAsync("zones")).OrderBy(z => (string)z.Properties["name"]!).ToList();
        Assert.Equal(["a", "b"], zones.Select(z => (string)z.Properties["name"]!));
        Assert.Equal([1.0, 2.0], zones.Select(z => (double)z.Properties["value"]!));
        GeometryAssert.Near(await OracleAsync("ST_Multi(ST_Buffer('SRID=4326;POINT(10 50)'::geography, 500)::geometry)"), zones[0].Geometry, Tolerance);
    }

    [Theory]
    [InlineData("geopackage")]
    [InlineData("postgis")]
    public async Task Execute_Dissolve_OneFeatureOnBothStores(string store)
    {
        await using var harness = ProcessHarness.For(store, postGis.Database);
        await harness.LoadAsync("pair", GeometryKind.Point, ("POINT (10 50)", "a", 1), ("POINT (10.01 50)", "b", 2));

        await ProcessHarness.RunAsync(harness.Create<BufferProcess>(), """
            {"input": {"collection": "pair"}, "distance": 1000, "dissolve": true, "output": {"collection": "merged", "title": "Merged"}}
            """);

        var merged = Assert.Single(await harness.ReadAsync("merged"));
        Assert.Empty(merged.Properties);
        GeometryAssert.Near(await OracleAsync(
            "ST_Multi(ST_Union(ST_Buffer('SRID=4326;POINT(10 50)'::geography, 1000)::geometry, ST_Buffer('SRID=4326;POINT(10.01 50)'::geography, 1000)::geometry))"),
            merged.Geometry, Tolerance);
    }

    [Theory]
    [InlineData("POINT (10 85)")]
    [InlineData("POINT (0 -89)")]
    [InlineData("POLYGON ((-140 50, -60 50, -60 70, -140 70, -140 50))")]
    public async Task Execute_BufferBeyondItsUtmZone_IsAnInputErrorNamingTheDistance(string wkt)
    {
        await using var harness = ProcessHarness.Inline();

        var error = await Assert.ThrowsAsync<ProcessInputException>(() => ProcessHarness.RunAsync(harness.Create<BufferProcess>(), $$"""
            {"input": {{ProcessHarness.Features(wkt)}}, "distance": 1000000}
            """));

        Assert.Equal("distance", error.Input);
        Assert.Contains("UTM zone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_NegativeDistanceSwallowingThePolygon_Dropped()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<BufferProcess>(), $$"""
            {"input": {{ProcessHarness.Features("POLYGON ((0 0, 0.001 0, 0.001 0.001, 0 0.001, 0 0))")}}, "distance": -1000}
            """);

        Assert.Empty(ProcessHarness.Geometries(results));
    }

    [Fact]
    public async Task Execute_InPostGisWhereGeosFails_AnInputErrorAndNoCollection()
    {
        await using var harness = ProcessHarness.PostGis(postGis.Database);
        // Geography buffers across the antimeridian come back self-intersecting, and their union fails in GEOS.
        await harness.LoadAsync("dateline", GeometryKind.Geometry,
            ("POLYGON ((-179.99 -69.42, -179.97 -69.42, -179.97 -69.4, -179.99 -69.4, -179.99 -69.42))", "a", 1),
            ("POINT (179.995 -69.41)", "b", 2), ("POINT (-179.995 -69.41)", "c", 3));

        var error = await Assert.ThrowsAsync<ProcessInputException>(() => ProcessHarness.RunAsync(harness.Create<BufferProcess>(), """
            {"input": {"collection": "dateline"}, "distance": 1000, "dissolve": true, "output": {"collection": "dateline_zone"}}
            """));

        Assert.Equal("input", error.Input);
        Assert.Contains("GEOS", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await harness.Store.GetCollectionsAsync(CancellationToken.None), c => c.Schema.Id == "dateline_zone");
    }
}
