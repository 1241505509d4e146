using Meridian.Tiles.Tiling;

namespace Meridian.Tiles.Tests.Tiling;

public sealed class TileMatrixSetTests
{
    private const double E = 20037508.342789244;

    [Fact]
    public void TileBounds_WebMercatorRootTile_IsTheWholeSquare()
    {
        var bounds = TileMatrixSet.WebMercatorQuad.TileBounds(new TileAddress(0, 0, 0));

        Assert.Equal(-E, bounds.MinX, 6);
        Assert.Equal(E, bounds.MaxX, 6);
        Assert.Equal(-E, bounds.MinY, 6);
        Assert.Equal(E, bounds.MaxY, 6);
    }

    [Theory]
    // Rows count from the top: row 0 is the northern half, column 1 the eastern half.
    [InlineData(1, 0, 1, 0, E, 0, E)]
    [InlineData(1, 1, 0, -E, 0, -E, 0)]
    [InlineData(2, 1, 2, 0, E / 2, 0, E / 2)]
    public void TileBounds_WebMercator_FollowRowsDownAndColumnsRight(int z, long row, long col, double minX, double maxX, double minY, double maxY)
    {
        var bounds = TileMatrixSet.WebMercatorQuad.TileBounds(new TileAddress(z, row, col));

        Assert.Equal(minX, bounds.MinX, 6);
        Assert.Equal(maxX, bounds.MaxX, 6);
        Assert.Equal(minY, bounds.MinY, 6);
        Assert.Equal(maxY, bounds.MaxY, 6);
    }

    [Theory]
    [InlineData(0, 0, 0, -180, 0, -90, 90)]
    [InlineData(0, 0, 1, 0, 180, -90, 90)]
    [InlineData(1, 1, 3, 90, 180, -90, 0)]
    [InlineData(3, 0, 0, -180, -157.5, 67.5, 90)]
    public void TileBounds_WorldCrs84_HasTwoColumnsAtTheRoot(int z, long row, long col, double minX, double maxX, double minY, double maxY)
    {
        var bounds = TileMatrixSet.WorldCrs84Quad.TileBounds(new TileAddress(z, row, col));

        Assert.Equal(minX, bounds.MinX, 9);
        Assert.Equal(maxX, bounds.MaxX, 9);
        Assert.Equal(minY, bounds.MinY, 9);
        Assert.Equal(maxY, bounds.MaxY, 9);
    }

    [Fact]
    public void TileBounds_DeepestMatrix_TilesTheSquareExactly()
    {
        var set = TileMatrixSet.WebMercatorQuad;
        var last = set.MatrixWidth(24) - 1;

        var corner = set.TileBounds(new TileAddress(24, last, last));

        Assert.Equal(E, corner.MaxX, 3);
        Assert.Equal(-E, corner.MinY, 3);
        Assert.Equal(2 * E / (1 << 24), corner.Width, 6);
    }

    [Theory]
    // Values of the OGC 2D Tile Matrix Set registry (17-083r4 annex), to their published precision.
    [InlineData("WebMercatorQuad", 0, 559082264.028717, 156543.033928041, 1, 1)]
    [InlineData("WebMercatorQuad", 24, 33.3238997476528, 0.0093306919293428, 16777216, 16777216)]
    [InlineData("WorldCRS84Quad", 0, 279541132.014358, 0.703125, 2, 1)]
    [InlineData("WorldCRS84Quad", 17, 2132.72958384978, 0.00000536441802978515, 262144, 131072)]
    public void Definition_MatchesTheRegistry(string id, int z, double scale, double cellSize, long width, long height)
    {
        var set = TileMatrixSet.Find(id)!;

        Assert.Equal(scale, set.ScaleDenominator(z), scale * 1e-9);
        Assert.Equal(cellSize, set.CellSize(z), cellSize * 1e-9);
        Assert.Equal(width, set.MatrixWidth(z));
        Assert.Equal(height, set.MatrixHeight(z));
    }

    [Theory]
    [InlineData("WebMercatorQuad", true)]
    [InlineData("WorldCRS84Quad", true)]
    [InlineData("webmercatorquad", false)]
    [InlineData("GoogleMapsCompatible", false)]
    [InlineData("", false)]
    public void Find_KnowsTheTwoSetsByExactId(string id, bool found) => Assert.Equal(found, TileMatrixSet.Find(id) is not null);
}
