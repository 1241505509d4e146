using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Meridian.Storage.Tiles;
using Meridian.Testing;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using MapboxTile = NetTopologySuite.IO.VectorTiles.Mapbox.Tile;

namespace Meridian.Storage.Tests.Tiles;

/// <summary>
/// The vector tile ability's contract, run unchanged against every store: each test loads its own collection
/// through the port and decodes the tiles with NetTopologySuite's reader.
/// </summary>
public abstract class VectorTileSourceContract(IWritableFeatureStore store)
{
    private static WKTReader Wkt => TestPlaces.Wkt;

    protected static IReadOnlyList<PropertySchema> PlaceProperties => TestPlaces.Properties;

    protected static IReadOnlyList<FeatureRecord> Places => TestPlaces.All;

    private static string NewCollectionId() => "t" + Guid.NewGuid().ToString("N")[..12];

    private async Task<(string Id, IVectorTileSource Source)> LoadAsync(GeometryKind kind, IReadOnlyList<PropertySchema> properties,
        IEnumerable<FeatureRecord> features, int srid = GeometryServices.Crs84Srid)
    {
        var schema = new CollectionSchema(NewCollectionId(), "Tiles", null, kind, srid, FeatureIdKind.Integer, properties, null);
        await store.LoadAsync(schema, features.ToAsyncEnumerable(), CancellationToken.None);
        var collection = (await store.GetCollectionsAsync(CancellationToken.None)).Single(c => c.Schema.Id == schema.Id);
        return (schema.Id, Assert.IsAssignableFrom<IVectorTileSource>(collection));
    }

    private Task<(string Id, IVectorTileSource Source)> LoadPlacesAsync() => LoadAsync(GeometryKind.Point, PlaceProperties, Places);

    private static TileRequest WebMercatorTile(int z, int x, int y) => new() { Bounds = Mvt.WebMercatorBounds(z, x, y), Srid = WebMercator.Srid };

    private static TileRequest Crs84Tile(double minX, double minY, double maxX, double maxY) =>
        new() { Bounds = new Envelope(minX, maxX, minY, maxY), Srid = GeometryServices.Crs84Srid };

    private static async Task<Dictionary<string, List<MvtFeature>>> TileAsync(IVectorTileSource source, TileRequest request) =>
        Mvt.Decode(await source.GetTileAsync(request, CancellationToken.None));

    [Fact]
    public async Task GetTileAsync_WorldTile_HoldsEveryFeatureWithIdsAndTypedProperties()
    {
        var (id, source) = await LoadPlacesAsync();

        var layers = await TileAsync(source, WebMercatorTile(0, 0, 0));

        var features = Assert.Single(layers, l => l.Key == id).Value;
        Assert.Equal(new ulong[] { 1, 2, 3, 4, 5 }, features.Select(f => f.Id!.Value).Order());
        Assert.All(features, f => Assert.Equal(MapboxTile.GeomType.Point, f.Type));
        var paris = features.Single(f => f.Id == 1).Properties;
        Assert.Equal("Paris", paris["name"]);
        Assert.Equal(2_100_000L, paris["population"]);
        Assert.Equal(105.4, (double)paris["area"], 6);
        Assert.Equal(true, paris["capital"]);
        Assert.Equal("2020-01-01T00:00:00Z", paris["observed"]);
        Assert.Equal("0300-01-01", paris["founded"]);
        Assert.Equal(-37_708L, features.Single(f => f.Id == 5).Properties["population"]);
        Assert.Equal(4096u, Mvt.Extents(await source.GetTileAsync(WebMercatorTile(0, 0, 0), CancellationToken.None))[id]);
    }

    [Fact]
    public async Task GetTileAsync_WebMercatorTile_PutsPointsWhereTheyAre()
    {
        var (id, source) = await LoadPlacesAsync();

        var tile = Mvt.ReadWebMercator(await source.GetTileAsync(WebMercatorTile(4, 8, 5), CancellationToken.None), 4, 8, 5);

        var layer = Assert.Single(tile.Layers);
        Assert.Equal(id, layer.Name);
        // z4 (8, 5) covers 0..22.5°E, 40.98..55.78°N: Paris, Lyon and Berlin.
        Assert.Equal(3, layer.Features.Count);
        var paris = layer.Features.Single(f => (string)f.Attributes["name"] == "Paris").Geometry.Coordinate;
        // One grid unit of a z4 tile is about 0.0055° wide.
        Assert.Equal(2.35, paris.X, 0.01);
        Assert.Equal(48.85, paris.Y, 0.01);
    }

    [Fact]
    public async Task GetTileAsync_Crs84Tile_UsesLongitudeLatitudeBounds()
    {
        var (id, source) = await LoadPlacesAsync();

        // Not tiles of WorldCRS84Quad, but boxes the buffer (64/4096 of their width) keeps apart.
        var east = await TileAsync(source, Crs84Tile(10, -90, 180, 90));
        var west = await TileAsync(source, Crs84Tile(-180, -90, -10, 90));

        Assert.Equal(new[] { "Berlin", "Labasa" }, east[id].Select(f => (string)f.Properties["name"]).Order());
        Assert.Equal(["Apia"], west[id].Select(f => (string)f.Properties["name"]));
    }

    [Fact]
    public async Task GetTileAsync_NothingInTheTile_IsEmpty()
    {
        var (_, source) = await LoadPlacesAsync();

        // z6 (0, 31): open Pacific ocean west of South America.
        Assert.Empty(await source.GetTileAsync(WebMercatorTile(6, 0, 31), CancellationToken.None));
    }

    [Fact]
    public async Task GetTileAsync_Limit_CapsTheFeatures()
    {
        var (id, source) = await LoadPlacesAsync();

        var layers = await TileAsync(source, WebMercatorTile(0, 0, 0) with { Limit = 2 });

        Assert.Equal(2, layers[id].Count);
        Assert.Empty(await source.GetTileAsync(WebMercatorTile(0, 0, 0) with { Limit = 0 }, CancellationToken.None));
    }

    [Fact]
    public async Task GetTileAsync_Properties_SelectsThemAndRejectsUnknownOnes()
    {
        var (id, source) = await LoadPlacesAsync();

        var layers = await TileAsync(source, WebMercatorTile(0, 0, 0) with { Properties = ["population", "name"] });

        Assert.All(layers[id], f => Assert.Equal(new[] { "name", "population" }, f.Properties.Keys.Order()));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            source.GetTileAsync(WebMercatorTile(0, 0, 0) with { Properties = ["nope"] }, CancellationToken.None));
        Assert.All((await TileAsync(source, WebMercatorTile(0, 0, 0) with { Properties = [] }))[id], f => Assert.Empty(f.Properties));
    }

    [Fact]
    public async Task GetTileAsync_PolygonLargerThanTheTile_IsClippedToTheBufferAndWoundForMvt()
    {
        // A square of 60° with a hole, around the z2 tile (2, 1) (0..90°E, 0..66.5°N) and beyond.
        var (id, source) = await LoadAsync(GeometryKind.Polygon, [new("name", PropertyType.String)],
        [
            new(null, Wkt.Read("POLYGON ((10 10, 70 10, 70 70, 10 70, 10 10), (20 20, 20 30, 30 30, 30 20, 20 20))"),
                new Dictionary<string, object?> { ["name"] = "square" }),
        ]);

        var bytes = await source.GetTileAsync(WebMercatorTile(2, 2, 1), CancellationToken.None);
        var tile = Mvt.ReadWebMercator(bytes, 2, 2, 1);

        var feature = Assert.Single(Assert.Single(tile.Layers).Features);
        var polygon = Assert.IsType<Polygon>(feature.Geometry);
        Assert.Equal(1, polygon.NumInteriorRings);
        Assert.True(polygon.Contains(Wkt.Read("POINT (50 50)")));
        Assert.False(polygon.Contains(Wkt.Read("POINT (25 25)")));
        // Clipped at the buffer: the tile's top is 66.51°N, 64 grid units of 4096 above it is about 67.2°N.
        Assert.InRange(polygon.EnvelopeInternal.MaxY, 66.5, 67.5);
        Assert.Equal(id, tile.Layers[0].Name);
        Assert.Equal(10, polygon.EnvelopeInternal.MinX, 0.1);
    }

    [Fact]
    public async Task GetTileAsync_Lines_AreKeptAndClipped()
    {
        var (id, source) = await LoadAsync(GeometryKind.LineString, [],
        [
            new(null, Wkt.Read("LINESTRING (-100 40, 100 40)"), new Dictionary<string, object?>()),
            new(null, Wkt.Read("LINESTRING (-100 -40, -90 -40)"), new Dictionary<string, object?>()),
        ]);

        var layers = await TileAsync(source, WebMercatorTile(1, 1, 0));

        var line = Assert.Single(layers[id]);
        Assert.Equal(MapboxTile.GeomType.LineString, line.Type);
        Assert.Equal(1UL, line.Id);
    }

    [Fact]
    public async Task GetTileAsync_WebMercatorStorage_ServesBothTileMatrixSets()
    {
        var paris = Wkt.Read("POINT (2.35 48.85)");
        var mercator = WebMercator.FromCrs84(paris);
        var (id, source) = await LoadAsync(GeometryKind.Point, [new("name", PropertyType.String)],
            [new(null, mercator, new Dictionary<string, object?> { ["name"] = "Paris" })], WebMercator.Srid);

        var webMercator = Mvt.ReadWebMercator(await source.GetTileAsync(WebMercatorTile(4, 8, 5), CancellationToken.None), 4, 8, 5);
        var crs84 = await TileAsync(source, Crs84Tile(0, 45, 11.25, 56.25));

        var point = Assert.Single(Assert.Single(webMercator.Layers).Features).Geometry.Coordinate;
        Assert.Equal(2.35, point.X, 0.01);
        Assert.Equal(48.85, point.Y, 0.01);
        Assert.Single(crs84[id]);
        Assert.Empty(await source.GetTileAsync(Crs84Tile(-90, -90, 0, 0), CancellationToken.None));
    }

    [Fact]
    public async Task GetTileAsync_PolygonReachingThePole_ServesWebMercatorTiles()
    {
        var (id, source) = await LoadAsync(GeometryKind.Polygon, [],
            [new(null, Wkt.Read("POLYGON ((-180 -90, 180 -90, 180 -60, -180 -60, -180 -90))"), new Dictionary<string, object?>())]);

        var layers = await TileAsync(source, WebMercatorTile(1, 0, 1));

        Assert.Equal(MapboxTile.GeomType.Polygon, Assert.Single(layers[id]).Type);
    }
}
