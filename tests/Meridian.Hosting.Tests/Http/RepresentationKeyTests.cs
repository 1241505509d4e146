using Meridian.Hosting.Http;

namespace Meridian.Hosting.Tests.Http;

public sealed class RepresentationKeyTests
{
    private static string? KeyOf(string query, string accept = "application/geo+json", long version = 1, string path = "/collections/c/items")
    {
        var key = new RepresentationKey();
        try
        {
            key.Line("Features");
            key.Line(path);
            if (!key.Query(query)) return null;
            key.LowerCaseLine(accept);
            key.Line("c", version);
            return key.Finish("http:");
        }
        finally
        {
            key.Dispose();
        }
    }

    [Fact]
    public void TheOrderOfDistinctNames_DoesNotChangeTheKey() =>
        Assert.Equal(KeyOf("?limit=10&bbox=0,0,1,1&f=json"), KeyOf("?f=json&bbox=0,0,1,1&limit=10"));

    [Fact]
    public void TheOrderOfOneNamesValues_ChangesTheKey() =>
        Assert.NotEqual(KeyOf("?properties=a&properties=b"), KeyOf("?properties=b&properties=a"));

    [Fact]
    public void EveryPart_ChangesTheKey()
    {
        var keys = new[]
        {
            KeyOf("?limit=10"), KeyOf("?limit=11"), KeyOf("?limit=10", accept: "text/html"), KeyOf("?limit=10", version: 2),
            KeyOf("?limit=10", path: "/collections/d/items"), KeyOf(""), KeyOf("?limit"), KeyOf("?limit="),
        };

        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public void PartsCannotBeShiftedIntoEachOther() =>
        Assert.NotEqual(KeyOf("?a=1", path: "/x\n?a=1"), KeyOf("?a=1&a=1", path: "/x"));

    [Fact]
    public void AcceptIsComparedTrimmedAndInLowerCase() =>
        Assert.Equal(KeyOf("", accept: " Application/GEO+json "), KeyOf("", accept: "application/geo+json"));

    [Fact]
    public void EmptyParameters_AreIgnored() =>
        Assert.Equal(KeyOf("?a=1&&b=2&"), KeyOf("?b=2&a=1"));

    [Fact]
    public void TheKey_IsShortAndFixedInLength()
    {
        var key = KeyOf("?" + string.Join('&', Enumerable.Range(0, 60).Select(i => $"p{i}=" + new string('x', 200))));

        Assert.NotNull(key);
        Assert.StartsWith("http:", key);
        Assert.Equal(KeyOf("?a=1")!.Length, key.Length);
    }

    [Fact]
    public void TooManyParameters_BypassTheCache()
    {
        Assert.NotNull(KeyOf("?" + string.Join('&', Enumerable.Range(0, RepresentationKey.MaxQueryParameters).Select(i => $"p{i}=1"))));
        Assert.Null(KeyOf("?" + string.Join('&', Enumerable.Range(0, RepresentationKey.MaxQueryParameters + 1).Select(i => $"p{i}=1"))));
    }

    [Fact]
    public void AQueryOfSeparatorsOnly_IsAnEmptyQuery() =>
        Assert.Equal(KeyOf(""), KeyOf("?" + new string('&', 100_000)));

    [Fact]
    public void NonAsciiText_IsPartOfTheKey() =>
        Assert.NotEqual(KeyOf("?q=Zürich"), KeyOf("?q=Zurich"));
}
