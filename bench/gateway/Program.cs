using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Meridian.Bench.Gateway;
using Meridian.Gateway.Tests.Waf.Corpus;

// `bare-yarp LISTEN BACKEND` runs the bare YARP proxy proxy.sh compares the gateway with.
if (args is ["bare-yarp", var listen, var backend])
{
    await BareYarp.RunAsync(listen, backend);
    return;
}
// `rates` prints the WAF's detection and false-positive rates per paranoia level over the test corpus, then over
// the two held-out attack sets (HeldOutCorpus: written apart from the rules; its Fresh set: written after they
// were changed for the first), as Markdown tables for bench/RESULTS.md; anything else runs the benchmarks.
if (args is ["rates"])
{
    var legitimate = LegitimateCorpus.All().ToList();
    foreach (var (name, attacks) in new[]
    {
        ("Corpus", AttackCorpus.All().ToList()), ("Held-out", HeldOutCorpus.All().ToList()), ("Held-out, fresh", HeldOutCorpus.Fresh.All().ToList()),
    })
    {
        Console.WriteLine($"{name}: {attacks.Count} attack requests, {legitimate.Count} legitimate requests.");
        Console.WriteLine();
        Console.WriteLine("| level | detection | sqli | xss | traversal | command | protocol | false positives | FP rate |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        for (var level = 1; level <= 4; level++)
        {
            var rates = await WafRates.MeasureAsync(level, attacks, legitimate);
            var families = rates.DetectionByFamily(attacks).ToDictionary(f => f.Family, f => f.Rate.ToString("P1", CultureInfo.InvariantCulture));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {level} | {rates.DetectionRate:P1} | {families["sqli"]} | {families["xss"]} | {families["traversal"]} | {families["command"]} | {families["protocol"]} | {rates.FalsePositives.Count} | {rates.FalsePositiveRate:P2} |"));
        }
        Console.WriteLine();
    }
    return;
}
// A short run in this process (no generated project to build): enough for a µs-scale figure on a busy machine.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(WafBenchmarks).Assembly).Run(args, config);
