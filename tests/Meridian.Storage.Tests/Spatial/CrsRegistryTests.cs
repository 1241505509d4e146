using Meridian.Storage.Spatial;

namespace Meridian.Storage.Tests.Spatial;

public sealed class CrsRegistryTests
{
    [Theory]
    [InlineData("http://www.opengis.net/def/crs/OGC/1.3/CRS84", CrsRegistry.Crs84Uri)]
    [InlineData("https://www.opengis.net/def/crs/OGC/1.3/CRS84", CrsRegistry.Crs84Uri)]
    [InlineData("[OGC:CRS84]", CrsRegistry.Crs84Uri)]
    [InlineData("OGC:CRS84", CrsRegistry.Crs84Uri)]
    [InlineData("http://www.opengis.net/def/crs/OGC/1.3/CRS84h", CrsRegistry.Crs84hUri)]
    [InlineData("[OGC:CRS84h]", CrsRegistry.Crs84hUri)]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/4326", "http://www.opengis.net/def/crs/EPSG/0/4326")]
    [InlineData("[EPSG:4326]", "http://www.opengis.net/def/crs/EPSG/0/4326")]
    [InlineData("epsg:3857", "http://www.opengis.net/def/crs/EPSG/0/3857")]
    [InlineData("[EPSG:25832]", "http://www.opengis.net/def/crs/EPSG/0/25832")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/32760", "http://www.opengis.net/def/crs/EPSG/0/32760")]
    public void TryParse_EveryIdentifierForm_FindsTheCrs(string identifier, string uri)
    {
        Assert.True(CrsRegistry.TryParse(identifier, out var crs));
        Assert.Equal(uri, crs.Uri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("CRS84")]
    [InlineData("4326")]
    [InlineData("EPSG:")]
    [InlineData("[EPSG:4326")]
    [InlineData("EPSG:4326]")]
    [InlineData("[EPSG:99999]")]
    [InlineData("EPSG:0")]
    [InlineData("EPSG:-4326")]
    [InlineData("EPSG:+4326")]
    [InlineData("EPSG: 4326")]
    [InlineData("EPSG:4326 ")]
    [InlineData("EPSG:4326.0")]
    [InlineData("EPSG:٤٣٢٦")]
    [InlineData("EPSG:99999999999999999999999")]
    [InlineData("ESRI:102100")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/4326/extra")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/9.9/4326")]
    [InlineData("http://www.opengis.net/def/crs/OGC/1.3/CRS83")]
    [InlineData("http://www.opengis.net/def/crs/OGC/1.3/CRS84?x=1")]
    [InlineData("http://example.com/def/crs/EPSG/0/4326")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/4326%00")]
    [InlineData("[EPSG:4326]; DROP TABLE t; --")]
    public void TryParse_MalformedOrUnknown_IsFalse(string? identifier)
    {
        Assert.False(CrsRegistry.TryParse(identifier, out _));
    }

    [Fact]
    public void TryParse_HugeIdentifier_IsFalse()
    {
        Assert.False(CrsRegistry.TryParse("[EPSG:" + new string('4', 100_000) + "]", out _));
    }

    [Fact]
    public void All_StartsWithCrs84_AndHoldsTheTableAndEveryUtmZone()
    {
        Assert.Same(CrsRegistry.Crs84, CrsRegistry.All[0]);
        int[] codes = [4326, 4258, 4269, 3857, 3395, 3035, 2154, 2056, 27700, 31287, 5070, 3413, 3031];
        var utm = Enumerable.Range(32601, 60).Concat(Enumerable.Range(32701, 60)).Concat(Enumerable.Range(25831, 8));
        foreach (var code in codes.Concat(utm)) Assert.NotNull(CrsRegistry.FindEpsg(code));
        Assert.Equal(2 + codes.Length + 128, CrsRegistry.All.Count);
    }

    [Theory]
    [InlineData(4326, true, true)]
    [InlineData(4258, true, true)]
    [InlineData(3857, false, false)]
    [InlineData(3035, true, false)]
    [InlineData(31287, true, false)]
    [InlineData(27700, false, false)]
    [InlineData(32632, false, false)]
    public void Epsg_AxisOrderAndUnits_FollowTheEpsgDataset(int code, bool northingFirst, bool geographic)
    {
        var crs = CrsRegistry.FindEpsg(code)!;
        Assert.Equal(northingFirst, crs.NorthingFirst);
        Assert.Equal(geographic, crs.IsGeographic);
        Assert.False(crs.IsCrs84);
    }

    [Fact]
    public void ForStorage_4326IsCrs84_UnknownCodesAreNull()
    {
        Assert.Same(CrsRegistry.Crs84, CrsRegistry.ForStorage(4326));
        Assert.Equal(3857, CrsRegistry.ForStorage(3857)!.Srid);
        Assert.Null(CrsRegistry.ForStorage(2193));
    }
}
