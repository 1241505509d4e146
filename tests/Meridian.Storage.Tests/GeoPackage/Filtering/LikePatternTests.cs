using Meridian.Storage.GeoPackage.Filtering;

namespace Meridian.Storage.Tests.GeoPackage.Filtering;

public sealed class LikePatternTests
{
    [Theory]
    [InlineData("São Paulo", "S_o Paulo", true)]
    [InlineData("São Paulo", "S%", true)]
    [InlineData("São Paulo", "%Paulo", true)]
    [InlineData("São Paulo", "%ão%", true)]
    [InlineData("São Paulo", "S%o%o", true)]
    [InlineData("São Paulo", "S%o%x", false)]
    [InlineData("São Paulo", "São", false)]
    [InlineData("São Paulo", "São Paulo_", false)]
    [InlineData("", "%", true)]
    [InlineData("", "_", false)]
    [InlineData("", "", true)]
    [InlineData("abc", "", false)]
    [InlineData("aaa", "%a%a%a%", true)]
    [InlineData("aa", "%a%a%a%", false)]
    [InlineData("100%", "100\\%", true)]
    [InlineData("1000", "100\\%", false)]
    [InlineData("a_b", "a\\_b", true)]
    [InlineData("axb", "a\\_b", false)]
    [InlineData("a\\", "a\\", true)]
    [InlineData("a\\b", "a\\\\b", true)]
    [InlineData("mississippi", "%iss%ppi", true)]
    [InlineData("mississippi", "m%ss%ss%pi", true)]
    [InlineData("mississippi", "m%ss%ss%ss%", false)]
    public void IsMatch_FollowsCql2Wildcards(string text, string pattern, bool expected)
    {
        Assert.Equal(expected, LikePattern.IsMatch(text, pattern));
    }

    [Fact]
    public void IsMatch_ThousandsOfWildcards_IsDecided()
    {
        var pattern = string.Concat(Enumerable.Repeat("%_", 5000));

        Assert.False(LikePattern.IsMatch("a short name", pattern));
        Assert.True(LikePattern.IsMatch(new string('x', 5000), pattern));
    }
}
