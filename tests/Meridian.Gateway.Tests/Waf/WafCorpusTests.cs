using Meridian.Gateway.Tests.Waf.Corpus;

namespace Meridian.Gateway.Tests.Waf;

public sealed class WafCorpusTests
{
    private static readonly IReadOnlyList<WafCase> Attacks = AttackCorpus.All().ToList();
    private static readonly IReadOnlyList<WafCase> Legitimate = LegitimateCorpus.All().ToList();
    private static readonly IReadOnlyList<WafCase> HeldOut = HeldOutCorpus.All().ToList();
    private static readonly IReadOnlyList<WafCase> Fresh = HeldOutCorpus.Fresh.All().ToList();

    [Fact]
    public void Corpus_IsLargeEnoughToMeanSomething()
    {
        Assert.True(Attacks.Count >= 500, $"{Attacks.Count} attacks");
        Assert.True(Legitimate.Count >= 1000, $"{Legitimate.Count} legitimate requests");
        Assert.True(Legitimate.Count(l => l.Family.StartsWith("cql2", StringComparison.Ordinal)) >= 600);
    }

    [Fact]
    public async Task Level1_BlocksNoLegitimateRequest()
    {
        var rates = await WafRates.MeasureAsync(1, Attacks, Legitimate);

        Assert.True(rates.FalsePositives.Count == 0,
            "false positives:\n" + string.Join("\n", rates.FalsePositives.Take(30).Select(f => $"{f.Case} -> {f.Rule}")));
    }

    [Fact]
    public async Task Level1_DetectsTheAttackCorpus()
    {
        var rates = await WafRates.MeasureAsync(1, Attacks, []);

        Assert.True(rates.DetectionRate >= 0.999, $"detection {rates.DetectionRate:P1}; missed:\n" + string.Join("\n", rates.Missed.Take(80)));
        Assert.All(rates.DetectionByFamily(Attacks), f => Assert.True(f.Rate >= 0.93, $"{f.Family}: {f.Rate:P1}"));
    }

    [Fact]
    public async Task HigherLevels_DetectAtLeastAsMuch()
    {
        var previous = 0.0;
        for (var level = 1; level <= 4; level++)
        {
            var rates = await WafRates.MeasureAsync(level, Attacks, []);
            Assert.True(rates.DetectionRate >= previous, $"level {level}: {rates.DetectionRate:P1} < {previous:P1}");
            previous = rates.DetectionRate;
        }
    }

    [Fact]
    public async Task Level1_DetectsMostOfTheHeldOutCorpus()
    {
        var rates = await WafRates.MeasureAsync(1, HeldOut, []);

        var families = string.Join(", ", rates.DetectionByFamily(HeldOut).Select(f => $"{f.Family} {f.Rate:P1}"));
        Assert.True(rates.DetectionRate >= 0.98, $"held-out detection {rates.DetectionRate:P1} ({families}); missed:\n" + string.Join("\n", rates.Missed.Take(400)));
    }

    [Fact]
    public async Task Level1_DetectsMostOfTheFreshHeldOutCorpus()
    {
        var rates = await WafRates.MeasureAsync(1, Fresh, []);

        var families = string.Join(", ", rates.DetectionByFamily(Fresh).Select(f => $"{f.Family} {f.Rate:P1}"));
        Assert.True(rates.DetectionRate >= 0.95, $"fresh detection {rates.DetectionRate:P1} ({families}); missed:\n" + string.Join("\n", rates.Missed.Take(400)));
    }
}
