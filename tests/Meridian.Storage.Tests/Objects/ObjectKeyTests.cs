using Meridian.Storage.Objects;

namespace Meridian.Storage.Tests.Objects;

public sealed class ObjectKeyTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("raw/2026/11/30/places.geojson")]
    [InlineData("processed/x y/ünïcode.gpkg")]
    public void Ordinary_keys_are_accepted(string key) => Assert.Equal(key, ObjectKey.Parse(key).Value);

    [Theory]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("../secret")]
    [InlineData("raw/../../secret")]
    [InlineData("raw/./a")]
    [InlineData("raw//a")]
    [InlineData("raw/a/")]
    [InlineData("raw\\..\\a")]
    [InlineData("raw/\0a")]
    [InlineData("raw/a\nb")]
    [InlineData(".uploads/x")]
    [InlineData(".tmp")]
    public void Keys_that_could_escape_or_collide_with_the_store_are_refused(string key)
    {
        Assert.False(ObjectKey.TryParse(key, out _, out var error));
        Assert.NotEmpty(error);
        Assert.Throws<ArgumentException>(() => ObjectKey.Parse(key));
    }

    [Fact]
    public void Overlong_keys_are_refused() =>
        Assert.False(ObjectKey.TryParse(new string('a', ObjectKey.MaxLength + 1), out _, out _));

    [Fact]
    public void A_segment_longer_than_a_file_name_may_be_is_refused()
    {
        // 85 and 86 CJK characters: 255 and 258 bytes in UTF-8, around the limit of a file name on disk.
        Assert.True(ObjectKey.TryParse("raw/" + new string('地', 85), out _, out _));
        Assert.False(ObjectKey.TryParse("raw/" + new string('地', 86), out _, out var error));
        Assert.Contains("255 bytes", error);
    }

    [Theory]
    [InlineData("places.geojson", "places.geojson")]
    [InlineData("C:\\Users\\me\\places.geojson", "places.geojson")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..", "upload")]
    [InlineData("a b;rm -rf.csv", "a_b_rm_-rf.csv")]
    [InlineData("", "upload")]
    // 350 bytes in UTF-8: the end of the name is kept, at most 200 bytes of it, so a name fits in a path on any disk.
    [InlineData("很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字.gpkg",
        "很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字很长的名字.gpkg")]
    public void Client_file_names_become_one_safe_segment(string fileName, string expected) =>
        Assert.Equal(expected, DataLakeZones.SafeFileName(fileName));

    [Fact]
    public void New_keys_are_zoned_by_utc_day_and_unique()
    {
        var when = new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.FromHours(-2));

        var first = DataLakeZones.NewKey(DataLakeZones.Raw, when, "places.geojson").Value;
        var second = DataLakeZones.NewKey(DataLakeZones.Raw, when, "places.geojson").Value;

        Assert.StartsWith("raw/2026/12/01/", first);
        Assert.EndsWith("/places.geojson", first);
        Assert.NotEqual(first, second);
    }
}
