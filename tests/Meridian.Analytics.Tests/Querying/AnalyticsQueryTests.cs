using Meridian.Analytics.Querying;
using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Meridian.Analytics.Tests.Querying;

public sealed class AnalyticsQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_NothingGiven_IsTheLast24HoursInTotal()
    {
        var query = Parse("");

        Assert.Equal(Now.UtcDateTime.AddHours(-24), query.From);
        Assert.Equal(Now.UtcDateTime, query.To);
        Assert.Empty(query.GroupBy);
        Assert.Equal(TimeBucket.None, query.Interval);
        Assert.Equal(AnalyticsQuery.DefaultLimit, query.Limit);
    }

    [Fact]
    public void Parse_EveryParameter_IsRead()
    {
        var query = Parse("from=2026-03-01&to=2026-03-02T06:00:00%2B02:00&groupBy=endpoint,tenant&interval=hour&limit=50");

        Assert.Equal(new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), query.From);
        Assert.Equal(new DateTime(2026, 3, 2, 4, 0, 0, DateTimeKind.Utc), query.To);
        Assert.Equal(DateTimeKind.Utc, query.To.Kind);
        Assert.Equal(["endpoint", "tenant"], query.GroupBy);
        Assert.Equal(TimeBucket.Hour, query.Interval);
        Assert.Equal(50, query.Limit);
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-03-01T00:00:00", "from")] // no offset: whose midnight?
    [InlineData("from=2026-13-01", "from")]
    [InlineData("from=2026-03-01T25:00:00Z", "from")]
    [InlineData("to=1e308", "to")]
    [InlineData("to=NaN", "to")]
    [InlineData("to=%00", "to")]
    [InlineData("to=2026-03-01T00:00:00Z';DROP TABLE events;--", "to")]
    [InlineData("from=2026-03-05&to=2026-03-01", "from")]
    [InlineData("from=2026-03-01&to=2026-03-01", "from")]
    [InlineData("from=0001-01-01&to=9999-12-31", "to")]
    [InlineData("from=2025-01-01&to=2026-03-01", "to")]
    [InlineData("groupBy=sql", "groupBy")]
    [InlineData("groupBy=endpoint;DROP", "groupBy")]
    [InlineData("groupBy=route", "groupBy")]
    [InlineData("groupBy=endpoint,endpoint", "groupBy")]
    [InlineData("groupBy=endpoint,,tenant", "groupBy")]
    [InlineData("groupBy=endpoint,tenant,role,status,collection", "groupBy")]
    [InlineData("groupBy=format", "groupBy")] // an ingest group, not a request one
    [InlineData("interval=minute", "interval")]
    [InlineData("interval=HOUR", "interval")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=10001", "limit")]
    [InlineData("limit=99999999999999999999", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("limit=+5", "limit")]
    [InlineData("sql=SELECT%201", "sql")]
    [InlineData("limit=5&limit=6", "limit")]
    [InlineData("Limit=5", "Limit")]
    public void Parse_BadParameter_IsA400NamingIt(string queryString, string parameter)
    {
        var problem = Assert.Throws<ProblemException>(() => Parse(queryString));

        Assert.Equal(StatusCodes.Status400BadRequest, problem.Status);
        Assert.Equal(ProblemTypes.InvalidParameter, problem.Type);
        Assert.Contains($"'{parameter}'", problem.Title);
    }

    [Fact]
    public void Parse_LongValue_IsQuotedShortened()
    {
        var problem = Assert.Throws<ProblemException>(() => Parse("groupBy=" + new string('x', 100_000)));

        Assert.True(problem.Message.Length < 500, problem.Message);
    }

    [Theory]
    [InlineData("process")]
    [InlineData("status")]
    [InlineData("tenant,role")]
    public void Parse_JobGroups_AreTheJobsReports(string groupBy) =>
        Assert.Equal(groupBy.Split(','), AnalyticsQuery.Parse(AnalyticsReport.Jobs, Query("groupBy=" + groupBy), Now, 93).GroupBy);

    [Theory]
    [InlineData("to=0001-01-01")]
    [InlineData("to=0001-01-01T00:00:00Z")]
    public void Parse_ToAtTheFirstInstant_IsA400NotAnOverflow(string queryString)
    {
        var problem = Assert.Throws<ProblemException>(() => Parse(queryString));

        Assert.Equal(StatusCodes.Status400BadRequest, problem.Status);
        Assert.Contains("from", problem.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ToWithinTheFirstDay_StartsTheDefaultRangeAtTheFirstInstant()
    {
        var query = Parse("to=0001-01-01T06:00:00Z");

        Assert.Equal(DateTime.MinValue, query.From);
        Assert.Equal(new DateTime(1, 1, 1, 6, 0, 0, DateTimeKind.Utc), query.To);
    }

    private static AnalyticsQuery Parse(string queryString) => AnalyticsQuery.Parse(AnalyticsReport.Requests, Query(queryString), Now, 93);

    private static QueryCollection Query(string queryString) => new(QueryHelpers.ParseQuery(queryString));
}
