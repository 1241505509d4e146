using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Meridian.Bench.Processing;

// `cpu [JOBS]`: runs the small buffer job JOBS times in a row (after a warm-up) and prints the process's CPU time per
// job: the figure that matters on a shared machine, where wall-clock time is whatever the neighbours leave.
if (args is ["cpu", ..])
{
    var jobs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
    using var bench = new BufferJobBenchmarks();
    bench.Setup();
    for (var i = 0; i < 200; i++) await bench.BufferJob();
    var process = Process.GetCurrentProcess();
    process.Refresh();
    var before = process.TotalProcessorTime;
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    for (var i = 0; i < jobs; i++) await bench.BufferJob();
    process.Refresh();
    var cpu = process.TotalProcessorTime - before;
    var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
    Console.WriteLine(FormattableString.Invariant(
        $"{jobs} buffer jobs: {cpu.TotalMilliseconds / jobs:0.000} ms CPU per job, {bytes / jobs / 1024.0:0} KB allocated per job, results {bench.ResultsLength / 1024.0:0.0} K chars"));
    return;
}

// A short run in this process (no generated project to build): enough for a ms-scale figure on a busy machine.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
