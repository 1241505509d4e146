using Meridian.Gateway.Waf;
using Meridian.Hosting.Configuration;

namespace Meridian.Gateway.Tests.Waf.Corpus;

/// <summary>Detection and false-positive rates of one paranoia level over the corpus (used by the tests and by bench/gateway).</summary>
public sealed record WafRates(int Paranoia, int Attacks, IReadOnlyList<WafCase> Missed, int Legitimate, IReadOnlyList<(WafCase Case, string Rule)> FalsePositives)
{
    public double DetectionRate => 1.0 - (double)Missed.Count / Attacks;

    public double FalsePositiveRate => (double)FalsePositives.Count / Legitimate;

    public static async Task<WafRates> MeasureAsync(int paranoia, IReadOnlyList<WafCase> attacks, IReadOnlyList<WafCase> legitimate)
    {
        var inspector = new WafInspector(new WafOptions { Paranoia = paranoia });
        var missed = new List<WafCase>();
        foreach (var attack in attacks)
        {
            if (await inspector.InspectAsync(attack.ToHttpContext()) is null) missed.Add(attack);
        }
        var falsePositives = new List<(WafCase, string)>();
        foreach (var request in legitimate)
        {
            if (await inspector.InspectAsync(request.ToHttpContext()) is { } finding) falsePositives.Add((request, $"{finding.RuleId} in {finding.Target}: {finding.Excerpt}"));
        }
        return new WafRates(paranoia, attacks.Count, missed, legitimate.Count, falsePositives);
    }

    /// <summary>Rates per family of the missed attacks, e.g. "sqli 98.7%".</summary>
    public IEnumerable<(string Family, double Rate)> DetectionByFamily(IReadOnlyList<WafCase> attacks) =>
        attacks.GroupBy(a => a.Family).Select(g => (g.Key, 1.0 - (double)Missed.Count(m => m.Family == g.Key) / g.Count()));
}
