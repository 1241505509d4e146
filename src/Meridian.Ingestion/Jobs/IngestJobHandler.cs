using System.Diagnostics;
using System.Text.Json;
using Meridian.Hosting.Analytics;
using Meridian.Ingestion.Formats;
using Meridian.Hosting.Catalog;
using Meridian.Processing.Jobs;
using Meridian.Storage;
using Meridian.Storage.Jobs;
using Meridian.Storage.Objects;
using Meridian.Storage.Writing;

namespace Meridian.Ingestion.Jobs;

/// <summary>
/// Runs ingest jobs: copies the uploaded object to a local work file (readers need to seek and read twice),
/// ingests it in one store transaction and records the report as the job's results. Running it again after a
/// crash is safe: a load either committed with its job's outcome pending (then a repeat in create mode fails
/// cleanly, which the report says) or left nothing. Every ingest, loaded or failed, is an analytics event.
/// </summary>
public sealed class IngestJobHandler(IObjectStore objects, CollectionHome home, ICollectionVersions versions, IngestLimits limits,
    AnalyticsEvents? analytics = null) : IJobHandler
{
    public const string JobType = "ingest";

    public string Type => JobType;

    public async Task<JobOutcome> RunAsync(JobRecord job, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        var inputs = JsonSerializer.Deserialize<IngestJobInputs>(job.Inputs, IngestJobInputs.Json)
            ?? throw new InvalidOperationException("The job has no inputs.");
        try
        {
            var report = await IngestAsync(inputs, job.Id, progress, cancellationToken);
            return JobOutcome.Succeeded(
                $"loaded {report.Loaded:N0} of {report.Read:N0} records into '{report.Collection}'; {report.Rejected:N0} rejected",
                JsonSerializer.Serialize(report, IngestJobInputs.Json));
        }
        catch (IngestFailedException e)
        {
            return JobOutcome.Failed(e.Message);
        }
    }

    /// <summary>
    /// Loads the object the inputs name; <paramref name="workName"/> (the job's id) names the local work directory.
    /// What the user can fix — a missing object, a bad file, a wrong layer or CRS, a schema that does not fit the
    /// collection, a table the database will not replace — is an <see cref="IngestFailedException"/> saying so.
    /// </summary>
    public async Task<IngestReport> IngestAsync(IngestJobInputs inputs, string workName, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var (report, bytes) = await LoadAsync(inputs, workName, progress, cancellationToken);
            Record(inputs, report, bytes, started);
            return report;
        }
        catch (IngestFailedException)
        {
            Record(inputs, null, null, started);
            throw;
        }
    }

    private async Task<(IngestReport Report, long Bytes)> LoadAsync(IngestJobInputs inputs, string workName, IProgress<JobProgress> progress,
        CancellationToken cancellationToken)
    {
        var key = ObjectKey.Parse(inputs.Object);
        var work = Path.Combine(Path.GetTempPath(), "meridian-ingest-" + workName);
        Directory.CreateDirectory(work);
        try
        {
            var file = Path.Combine(work, DataLakeZones.SafeFileName(key.Value));
            await using (var source = await objects.OpenReadAsync(key, cancellationToken))
            await using (var target = File.Create(file))
            {
                await source.CopyToAsync(target, cancellationToken);
            }
            var report = await IngestPipeline.RunAsync(file, inputs.ToRequest() with { Source = limits.Source(work) },
                home.Store, new JobCounts(progress), cancellationToken);
            await versions.BumpAsync(inputs.Collection, CancellationToken.None);
            return (report, new FileInfo(file).Length);
        }
        catch (ObjectNotFoundException e)
        {
            throw new IngestFailedException(e.Message);
        }
        catch (Exception e) when (e is SourceFormatException or IngestException or StoreConflictException or ArgumentException or NotSupportedException or InvalidDataException)
        {
            throw new IngestFailedException($"{DataLakeZones.SafeFileName(key.Value)}: {e.Message.TrimEnd('.')}; nothing was loaded");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private void Record(IngestJobInputs inputs, IngestReport? report, long? bytes, long started) => analytics?.Record(new AnalyticsEvent
    {
        Kind = AnalyticsEventKind.Ingest,
        Time = DateTime.UtcNow,
        Collection = inputs.Collection,
        Outcome = report is null ? "failed" : "successful",
        DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        Bytes = bytes,
        Format = report?.Format,
        FeaturesRead = report?.Read,
        FeaturesLoaded = report?.Loaded,
        FeaturesRejected = report?.Rejected,
    });
}

/// <summary>
/// The pipeline's counts as the job's progress, passed on as they are reported. Not through <c>Progress&lt;T&gt;</c>, which
/// reports later on the thread pool: the worker records a job's last progress when its handler returns, and the final
/// count, reported last, arrived after that, so a successful job kept showing an earlier count (loaded 0).
/// </summary>
internal sealed class JobCounts(IProgress<JobProgress> job) : IProgress<IngestProgress>
{
    public void Report(IngestProgress value) => job.Report(new JobProgress(
        value.Describe(), null, JsonSerializer.Serialize(value, IngestJobInputs.Json)));
}

/// <summary>An ingest that failed for a reason its message gives the user; nothing was loaded.</summary>
public sealed class IngestFailedException(string message) : Exception(message);
