using System.Globalization;
using BenchmarkDotNet.Attributes;
using Meridian.Hosting.Catalog;
using Meridian.Processing.Jobs;
using Meridian.Processing.Library;
using Meridian.Processing.Library.Processes;
using Meridian.Storage.Caching;
using Meridian.Storage.GeoPackage;
using Meridian.Storage.Jobs;
using Meridian.Storage.Objects;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Bench.Processing;

/// <summary>
/// The worker's share of bench/jobs's small job (a buffer of 100 inline points by 100 m, results inline), as the
/// worker runs it: the job's inputs text in, <see cref="ProcessJobHandler"/>, the results text out for the job store.
/// </summary>
[MemoryDiagnoser]
public class BufferJobBenchmarks : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "meridian-bench-processing-" + Guid.NewGuid().ToString("N"));
    private ProcessJobHandler _handler = null!;
    private JobRecord _job = null!;

    public int ResultsLength { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var store = new GeoPackageDirectoryStore(Path.Combine(_directory, "features"), NullLogger.Instance);
        var objects = new LocalObjectStore(Path.Combine(_directory, "objects"));
        var catalog = new CollectionCatalog([store], NullLogger<CollectionCatalog>.Instance);
        var io = new ProcessIo(new FeatureInputs(catalog, objects), new FeatureOutputs(new CollectionHome(store), catalog, objects, new InMemoryCollectionVersions()));
        _handler = new ProcessJobHandler(new BufferProcess(io));
        var now = DateTimeOffset.UtcNow;
        _job = new JobRecord("bench", "buffer", JobStatus.Running, BufferInputs("bench"), null, null, null, null, null, 1, now, now, null, now);
    }

    [Benchmark]
    public async Task<JobOutcome> BufferJob()
    {
        var outcome = await _handler.RunAsync(_job, new Progress<JobProgress>(), CancellationToken.None);
        if (outcome.Status != JobStatus.Successful) throw new InvalidOperationException(outcome.Message);
        ResultsLength = outcome.Results!.Length;
        return outcome;
    }

    /// <summary>bench/jobs's inputs: 100 points on a 10 x 10 grid of whole degrees, with two properties each.</summary>
    public static string BufferInputs(string run)
    {
        var features = Enumerable.Range(0, 100).Select(i =>
        {
            var (x, y) = ((i % 10).ToString(CultureInfo.InvariantCulture), (45 + i / 10).ToString(CultureInfo.InvariantCulture));
            return $$$"""{"type":"Feature","properties":{"run":"{{{run}}}","n":{{{i}}}},"geometry":{"type":"Point","coordinates":[{{{x}}},{{{y}}}]}}""";
        });
        return $$"""{"input":{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]},"distance":100}""";
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}
