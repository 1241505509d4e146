using Meridian.Analytics.Lake;
using Meridian.Storage.Objects;

namespace Meridian.Analytics.Tests.Lake;

public sealed class LakeLayoutTests
{
    [Fact]
    public void NewFileKey_IsUnderTheHivePartitionsOfItsUtcHour()
    {
        var key = LakeLayout.NewFileKey(new DateTime(2026, 3, 1, 7, 0, 0, DateTimeKind.Utc), "node-a-42");

        Assert.StartsWith("analytics/events/year=2026/month=03/day=01/hour=07/node-a-42-", key.Value);
        Assert.EndsWith(".parquet", key.Value);
        Assert.Equal(new DateTime(2026, 3, 1, 7, 0, 0, DateTimeKind.Utc), LakeLayout.HourOf(key));
    }

    [Fact]
    public void NewFileKey_NamesAFreshFileEachTime()
    {
        var hour = new DateTime(2026, 3, 1, 7, 0, 0, DateTimeKind.Utc);
        Assert.NotEqual(LakeLayout.NewFileKey(hour, "p-1"), LakeLayout.NewFileKey(hour, "p-1"));
    }

    [Theory]
    [InlineData("analytics/events/year=2026/month=03/day=01/hour=07/notes.txt")]
    [InlineData("analytics/events/year=2026/month=13/day=01/hour=07/a.parquet")]
    [InlineData("analytics/events/year=2026/month=02/day=30/hour=07/a.parquet")]
    [InlineData("analytics/events/year=2026/month=03/day=01/hour=24/a.parquet")]
    [InlineData("analytics/events/year=2026/month=03/day=01/a.parquet")]
    [InlineData("analytics/events/year=2026/month=03/day=01/hour=07/it's.parquet")]
    [InlineData("analytics/events/year=2026/month=03/day=01/hour=07/sub/a.parquet")]
    [InlineData("raw/2026/03/01/a.parquet")]
    public void HourOf_AnythingTheWriterDoesNotName_IsNull(string key) => Assert.Null(LakeLayout.HourOf(ObjectKey.Parse(key)));

    [Theory]
    [InlineData("web-7d9f-abc", 12, "web-7d9f-abc-12")]
    [InlineData("host.example.org", 1, "host_example_org-1")]
    [InlineData("'; DROP TABLE x; --", 3, "DROP_TABLE_x__---3")]
    [InlineData("", 5, "host-5")]
    [InlineData("...", 5, "host-5")]
    public void ProcessName_KeepsOnlyWhatIsSafeInAKeyAndInSql(string machine, int pid, string expected) =>
        Assert.Equal(expected, LakeLayout.ProcessName(machine, pid));
}
