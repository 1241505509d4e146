using Meridian.Hosting.Problems;
using Meridian.Tiles.Tiling;

namespace Meridian.Tiles.Tests.Tiling;

public sealed class TileAddressTests
{
    private static TileAddress Parse(string z, string y, string x, TileMatrixSet? set = null) =>
        TileAddress.Parse(set ?? TileMatrixSet.WebMercatorQuad, z, y, x);

    [Theory]
    [InlineData("0", "0", "0", 0, 0, 0)]
    [InlineData("3", "7", "2", 3, 7, 2)]
    [InlineData("24", "16777215", "16777215", 24, 16777215, 16777215)]
    [InlineData("007", "01", "00", 7, 1, 0)]
    public void Parse_TilesOfTheSet_AreRead(string z, string y, string x, int zoom, long row, long col) =>
        Assert.Equal(new TileAddress(zoom, row, col), Parse(z, y, x));

    [Theory]
    [InlineData("99", "0", "0")]
    [InlineData("25", "0", "0")]
    [InlineData("-1", "0", "0")]
    [InlineData("0", "1", "0")]
    [InlineData("0", "0", "1")]
    [InlineData("1", "0", "-1")]
    [InlineData("1", "-1", "0")]
    [InlineData("3", "8", "0")]
    [InlineData("3", "0", "8")]
    [InlineData("2147483648", "0", "0")]
    [InlineData("99999999999999999999999999999999", "0", "0")]
    [InlineData("4", "9223372036854775807", "0")]
    [InlineData("4", "0", "-9223372036854775808")]
    [InlineData("4", "0", "123456789012345678901234567890")]
    public void Parse_IntegersOutsideTheSet_AreNotFound(string z, string y, string x)
    {
        var problem = Assert.Throws<ProblemException>(() => Parse(z, y, x));

        Assert.Equal(404, problem.Status);
        Assert.Equal(ProblemTypes.NotFound, problem.Type);
    }

    [Theory]
    [InlineData("a", "0", "0", "tileMatrix")]
    [InlineData("0", "zero", "0", "tileRow")]
    [InlineData("0", "0", "1.0", "tileCol")]
    [InlineData("1e3", "0", "0", "tileMatrix")]
    [InlineData("", "0", "0", "tileMatrix")]
    [InlineData("-", "0", "0", "tileMatrix")]
    [InlineData("+1", "0", "0", "tileMatrix")]
    [InlineData(" 1", "0", "0", "tileMatrix")]
    [InlineData("0x1", "0", "0", "tileMatrix")]
    [InlineData("1", "0", "٣", "tileCol")]
    [InlineData("1", "0", "0; DROP TABLE x", "tileCol")]
    public void Parse_NonIntegers_AreBadRequestsNamingTheParameter(string z, string y, string x, string parameter)
    {
        var problem = Assert.Throws<ProblemException>(() => Parse(z, y, x));

        Assert.Equal(400, problem.Status);
        Assert.Contains(parameter, problem.Title);
    }

    [Fact]
    public void Parse_HugeGarbage_IsCutShortInTheMessage()
    {
        var problem = Assert.Throws<ProblemException>(() => Parse(new string('x', 100_000), "0", "0"));

        Assert.True(problem.Message.Length < 200);
    }

    [Theory]
    [InlineData("0", "0", "1", true)]
    [InlineData("0", "0", "2", false)]
    [InlineData("0", "1", "0", false)]
    [InlineData("23", "8388607", "16777215", true)]
    [InlineData("24", "0", "0", false)]
    public void Parse_WorldCrs84_HasTwiceAsManyColumnsAsRows(string z, string y, string x, bool exists)
    {
        void Parse84() => Parse(z, y, x, TileMatrixSet.WorldCrs84Quad);

        if (exists) Parse84();
        else Assert.Equal(404, Assert.Throws<ProblemException>(Parse84).Status);
    }
}
