using System.Text;
using Meridian.Hosting.Http;

namespace Meridian.Hosting.Tests.Http;

public sealed class EntityTagTests
{
    private static readonly string Tag = EntityTag.Of("hello"u8);

    [Fact]
    public void Of_SameBytes_SameStrongQuotedTag()
    {
        var again = EntityTag.Of(Encoding.UTF8.GetBytes("hello"));

        Assert.Equal(Tag, again);
        Assert.StartsWith("\"", Tag);
        Assert.EndsWith("\"", Tag);
        Assert.False(Tag.StartsWith("W/", StringComparison.Ordinal));
        Assert.DoesNotContain('"', Tag[1..^1]);
    }

    [Theory]
    [InlineData("hellO")]
    [InlineData("hello ")]
    [InlineData("")]
    public void Of_DifferentBytes_DifferentTag(string other)
    {
        Assert.NotEqual(Tag, EntityTag.Of(Encoding.UTF8.GetBytes(other)));
    }

    [Fact]
    public void Of_Empty_IsAValidTag()
    {
        Assert.Matches("^\"[A-Za-z0-9_-]+\"$", EntityTag.Of([]));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("*", true)]
    [InlineData("\"other\"", false)]
    [InlineData("\"other\", TAG", true)]
    [InlineData("W/TAG", true)]
    [InlineData("\"a\",W/TAG ,\"b\"", true)]
    [InlineData("TAGx", false)]
    [InlineData("\"", false)]
    [InlineData(",,,", false)]
    public void IfNoneMatch_UsesWeakComparison(string? header, bool matches)
    {
        Assert.Equal(matches, EntityTag.IfNoneMatch(header?.Replace("TAG", Tag), Tag));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("*", true)]
    [InlineData("TAG", true)]
    [InlineData("\"other\" , TAG", true)]
    [InlineData("W/TAG", false)]
    [InlineData("\"other\"", false)]
    public void IfMatch_UsesStrongComparison(string? header, bool matches)
    {
        Assert.Equal(matches, EntityTag.IfMatch(header?.Replace("TAG", Tag), Tag));
    }

    [Theory]
    [InlineData("\"abc-gzip\"")]
    [InlineData("\"abc-br\"")]
    [InlineData("\"abc\"")]
    public void IfMatch_AcceptsTheTagOfAnyContentCoding(string header) => Assert.True(EntityTag.IfMatch(header, "\"abc\""));

    [Theory]
    [InlineData("\"abc-deflate\"")]
    [InlineData("W/\"abc-gzip\"")]
    [InlineData("\"abd-gzip\"")]
    public void IfMatch_RefusesOtherTags(string header) => Assert.False(EntityTag.IfMatch(header, "\"abc\""));

    [Fact]
    public void ForCoding_LeavesIdentityAlone() => Assert.Equal("\"abc\"", EntityTag.ForCoding("\"abc\"", null));
}
