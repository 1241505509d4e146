using Meridian.Processing.Library.Processes;

namespace Meridian.Processing.Tests.Library.Processes;

public sealed class NearestProcessTests
{
    [Fact]
    public async Task Execute_KNearestByGreatCircleDistance()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<NearestProcess>(), $$"""
            {"input": {{ProcessHarness.Features("POINT (0 0)")}},
             "candidates": {{ProcessHarness.Features("POINT (0 1)", "POINT (0 2)", "POINT (3 0)", "POINT (0 -0.5)")}}, "k": 2}
            """);

        var pairs = ProcessHarness.Properties(results);
        Assert.Equal(2, pairs.Count);
        Assert.Equal(("1", "4", 1L), ((string)pairs[0]["from"]!, (string)pairs[0]["to"]!, (long)pairs[0]["rank"]!));
        Assert.Equal(55597.54, (double)pairs[0]["distance_m"]!, 2);
        Assert.Equal(("1", "1", 2L), ((string)pairs[1]["from"]!, (string)pairs[1]["to"]!, (long)pairs[1]["rank"]!));
        Assert.Equal(111195.08, (double)pairs[1]["distance_m"]!, 2);
        GeometryAssert.Near("POINT (0 -0.5)", ProcessHarness.Geometries(results)[0], 0);
    }

    [Fact]
    public async Task Execute_FarCandidates_FoundByTheWideningSearch()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<NearestProcess>(), $$"""
            {"input": {{ProcessHarness.Features("POINT (0 60)")}}, "candidates": {{ProcessHarness.Features("POINT (100 -60)", "POINT (40 60)")}}, "k": 5}
            """);

        var pairs = ProcessHarness.Properties(results);
        Assert.Equal(["2", "1"], pairs.Select(p => (string)p["to"]!));
    }
}
