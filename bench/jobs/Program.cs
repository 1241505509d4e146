// Submits small buffer jobs (100 inline points, 100 m, results inline) through JobQueue (PostgreSQL job store + RabbitMQ), as the API does, to worker processes started by
// bench/jobs/run.sh, and reads the outcome from the job store: the store's clock stamps both `created` (the submit)
// and `finished` (the worker recorded success), so submit→successful is measured on one clock.
//
//   dotnet run -c Release --project bench/jobs -- POSTGRES RABBITMQ_URI [THROUGHPUT_JOBS] [RATE] [SECONDS] [WARMUP_JOBS]
using System.Diagnostics;
using System.Globalization;
using Meridian.Messaging.RabbitMq;
using Meridian.Processing.Jobs;
using Meridian.Storage.Jobs;
using Meridian.Storage.PostGis.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

var postgres = args[0];
var rabbitMq = new Uri(args[1]);
var throughputJobs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3000;
var rate = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 50;
var seconds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 30;
var warmupJobs = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 4000;

await using var store = new PostgresJobStore(postgres);
await using var bus = new RabbitMqMessageBus(rabbitMq);
var queue = new JobQueue(store, bus, NullLogger<JobQueue>.Instance);
await using var database = NpgsqlDataSource.Create(postgres);

// Warm-up: connections, JIT and the workers' first jobs stay out of the figures. The workers' JIT takes thousands of
// jobs to tier up (instrumented code and the tiering thread): after 1,000 jobs a worker still spent ~4 ms of CPU per
// job, after 4,000 ~1.6 ms (loaded machine, 2026-11-30).
await RunAsync("warmup", warmupJobs, submitters: 8, interval: null);
Console.WriteLine($"warm-up: {warmupJobs} jobs done");

var throughput = await RunAsync("throughput", throughputJobs, submitters: 32, interval: null);
var jobsPerSecond = throughputJobs / (throughput.LastFinished - throughput.FirstCreated).TotalSeconds;
Console.WriteLine($"throughput: {throughputJobs} jobs in {(throughput.LastFinished - throughput.FirstCreated).TotalSeconds:0.00} s = {jobsPerSecond:0} jobs/s " +
    $"(submit→successful p50 {throughput.P50:0} ms, p99 {throughput.P99:0} ms)");

var paced = await RunAsync("latency", rate * seconds, submitters: 1, interval: TimeSpan.FromSeconds(1.0 / rate));
Console.WriteLine($"latency at {rate} jobs/s for {seconds} s: submit→successful p50 {paced.P50:0.0} ms, p90 {paced.P90:0.0} ms, " +
    $"p99 {paced.P99:0.0} ms, max {paced.Max:0.0} ms");
Console.WriteLine($"RESULT jobs_per_second={jobsPerSecond:0} throughput_p99_ms={throughput.P99:0} rate={rate} p50_ms={paced.P50:0.0} " +
    $"p90_ms={paced.P90:0.0} p99_ms={paced.P99:0.0} max_ms={paced.Max:0.0}");

// Submits `count` jobs by `submitters` concurrent loops (or one paced loop), waits until every
// one succeeded, and reads the figures from the store.
async Task<Run> RunAsync(string name, int count, int submitters, TimeSpan? interval)
{
    var inputs = BufferInputs($"{name}-{Guid.NewGuid():N}");
    // The run's jobs are those created from now on (runs follow one another, each waiting for all of its jobs): a
    // filter on the timestamp, not on the inputs, which would decompress every job's inputs on every poll and
    // load PostgreSQL during the measurement.
    DateTime start; // UTC, as Npgsql reads and writes timestamptz
    await using (var now = database.CreateCommand("SELECT clock_timestamp()")) start = (DateTime)(await now.ExecuteScalarAsync())!;
    var next = -1;
    var clock = Stopwatch.StartNew();
    var pending = new List<Task>();
    await Task.WhenAll(Enumerable.Range(0, submitters).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            if (interval is { } every)
            {
                var due = every * i - clock.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due);
                // Paced submissions overlap as a real API's would: never wait for one before starting the next.
                lock (pending) pending.Add(queue.SubmitAsync(new NewJob("buffer", inputs), CancellationToken.None));
            }
            else
            {
                await queue.SubmitAsync(new NewJob("buffer", inputs), CancellationToken.None);
            }
        }
    }));
    await Task.WhenAll(pending);
    while (true)
    {
        await using var command = database.CreateCommand("""
            SELECT count(*) FILTER (WHERE status = 'successful'), count(*) FILTER (WHERE status = 'failed'),
                min(created), max(finished),
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished - created) * 1000),
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM finished - created) * 1000),
                percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished - created) * 1000),
                max(extract(epoch FROM finished - created) * 1000)
            FROM meridian.jobs WHERE created >= $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = start });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (succeeded, failed) = (reader.GetInt64(0), reader.GetInt64(1));
        if (failed > 0) throw new InvalidOperationException($"{failed} {name} jobs failed");
        if (succeeded == count)
        {
            return new Run(reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6), reader.GetDouble(7));
        }
        if (clock.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"only {succeeded} of {count} {name} jobs succeeded");
        await Task.Delay(200);
    }
}

// The small job: a buffer of 100 features. The run's id rides in a property, so that a run's jobs can be told
// apart in the job store by hand.
static string BufferInputs(string run)
{
    var features = Enumerable.Range(0, 100).Select(i =>
    {
        var (x, y) = ((i % 10).ToString(CultureInfo.InvariantCulture), (45 + i / 10).ToString(CultureInfo.InvariantCulture));
        return $$$"""{"type":"Feature","properties":{"run":"{{{run}}}","n":{{{i}}}},"geometry":{"type":"Point","coordinates":[{{{x}}},{{{y}}}]}}""";
    });
    return $$"""{"input":{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]},"distance":100}""";
}

internal sealed record Run(DateTimeOffset FirstCreated, DateTimeOffset LastFinished, double P50, double P90, double P99, double Max);
