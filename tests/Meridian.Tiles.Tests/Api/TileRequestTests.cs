using Meridian.Hosting.Configuration;
using Meridian.Storage.Spatial;
using Meridian.Tiles.Api;
using Meridian.Tiles.Tiling;

namespace Meridian.Tiles.Tests.Api;

public sealed class TileRequestTests
{
    [Fact]
    public void RequestFor_CarriesTheOptionsAndTheTileInItsCrs()
    {
        var options = new TilesOptions { Extent = 512, Buffer = 8, MaxFeatures = 7, Simplification = 2 };

        var request = TilesApi.RequestFor(options, TileMatrixSet.WebMercatorQuad, new TileAddress(1, 0, 1), ["name"]);

        Assert.Equal(WebMercator.Srid, request.Srid);
        Assert.Equal(0, request.Bounds.MinX, 6);
        Assert.Equal((512, 8, 7), (request.Extent, request.Buffer, request.Limit));
        Assert.Equal(["name"], request.Properties!);
        // Two grid units of a 512 grid over a tile as wide as half the world.
        Assert.Equal(2 * WebMercator.Extent / 512, request.Tolerance, 6);
    }

    [Fact]
    public void RequestFor_Tolerance_HalvesWithEachZoomLevel()
    {
        var options = new TilesOptions();

        var coarse = TilesApi.RequestFor(options, TileMatrixSet.WorldCrs84Quad, new TileAddress(3, 0, 0), null);
        var fine = TilesApi.RequestFor(options, TileMatrixSet.WorldCrs84Quad, new TileAddress(4, 0, 0), null);

        Assert.Equal(GeometryServices.Crs84Srid, coarse.Srid);
        Assert.Equal(coarse.Tolerance / 2, fine.Tolerance, 12);
        Assert.Equal(22.5 / 4096, coarse.Tolerance, 12);
    }

    [Fact]
    public void BufferedBounds_GrowByTheBufferInGridUnits()
    {
        var request = TilesApi.RequestFor(new TilesOptions { Extent = 4096, Buffer = 64 }, TileMatrixSet.WorldCrs84Quad, new TileAddress(0, 0, 0), null);

        var buffered = request.BufferedBounds;

        Assert.Equal(-180 - 180.0 * 64 / 4096, buffered.MinX, 9);
        Assert.Equal(90 + 180.0 * 64 / 4096, buffered.MaxY, 9);
    }
}
