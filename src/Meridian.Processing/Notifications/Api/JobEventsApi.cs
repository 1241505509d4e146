using System.Globalization;
using System.Text.Json;
using Meridian.Hosting.Problems;
using Meridian.Processing.Api;
using Meridian.Storage.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Meridian.Processing.Notifications.Api;

/// <summary>
/// <c>GET /jobs/{id}/events</c>: a Server-Sent Events stream of one job's status and progress. It polls the job
/// store, so it works whichever process runs the job. Each event is the job's status document; its id is the job's
/// update time in ticks, so a client reconnecting with Last-Event-ID gets only what changed since. The stream ends
/// after the event that shows the job ended.
/// </summary>
public static class JobEventsApi
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public static IEndpointRouteBuilder MapJobEventsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/jobs/{jobId}/events", Stream).WithTags("Jobs").WithName("job-events");
        return endpoints;
    }

    private static async Task Stream(HttpContext context, IJobStore store, string jobId)
    {
        var aborted = context.RequestAborted;
        var job = await JobsApi.GetVisibleAsync(store, jobId, context) ?? throw ProblemException.NotFound($"There is no job '{jobId}'.");
        long last = 0;
        if (context.Request.Headers["Last-Event-ID"].FirstOrDefault() is { } header && !long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out last))
            throw ProblemException.InvalidParameter("Last-Event-ID", "Last-Event-ID is the id of an event of this stream (a whole number).");

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        // Proxies such as nginx would otherwise hold events back in their buffers.
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(aborted);
        try
        {
            while (true)
            {
                var version = job.Updated.UtcTicks;
                if (version > last)
                {
                    var data = JsonSerializer.Serialize(JobStatusDocument.Create(job, context.Request));
                    await response.WriteAsync($"id: {version}\nevent: {job.Status.ToString().ToLowerInvariant()}\ndata: {data}\n\n", aborted);
                    await response.Body.FlushAsync(aborted);
                    last = version;
                }
                if (job.HasEnded) return;
                await Task.Delay(Poll, aborted);
                // A job removed by retention while watched ends the stream.
                if (await store.GetAsync(jobId, aborted) is not { } next) return;
                job = next;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }
}
