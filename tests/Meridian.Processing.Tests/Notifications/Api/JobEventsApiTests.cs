using System.Net;
using System.Text;
using Meridian.Processing.Tests.Workflows;

namespace Meridian.Processing.Tests.Notifications.Api;

/// <summary>The Server-Sent Events stream of a job, read as a browser's EventSource would.</summary>
public sealed class JobEventsApiTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private ProcessingHost _host = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync()
    {
        _host = await ProcessingHost.StartAsync(_data.Path, [new MirrorProcess()]);
        (await Client.PostAsync("workflows", Json("""
            {"Name":"slow","StartAt":"Pause","States":{"Pause":{"Type":"Wait","Seconds":0.5,"Next":"Echo"},"Echo":{"Type":"Task","Process":"mirror","End":true}}}
            """))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Reads the stream to its end: each event's id and name.</summary>
    private async Task<List<(long Id, string Event)>> ReadStreamAsync(string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<(long, string)>();
        long id = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal)) id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) events.Add((id, line[7..]));
        }
        return events;
    }

    [Fact]
    public async Task The_stream_follows_the_job_to_its_end_and_resumes_after_Last_Event_ID()
    {
        var started = await Client.PostAsync("workflows/slow/executions", Json("{}"));
        var path = started.Headers.Location!.AbsolutePath.TrimStart('/') + "/events";

        var events = await ReadStreamAsync(path);

        Assert.Equal("successful", events[^1].Event);
        Assert.Contains(events, e => e.Event is "accepted" or "running");
        Assert.Equal(events.Select(e => e.Id).Order(), events.Select(e => e.Id));
        Assert.Empty(await ReadStreamAsync(path, lastEventId: events[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal([events[^1]], await ReadStreamAsync(path, lastEventId: events[^2].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task An_unknown_job_is_a_404_and_a_bad_Last_Event_ID_a_400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("jobs/nope/events")).StatusCode);
        var started = await Client.PostAsync("workflows/slow/executions", Json("{}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, started.Headers.Location + "/events");
        request.Headers.Add("Last-Event-ID", "yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync(request)).StatusCode);
    }
}
