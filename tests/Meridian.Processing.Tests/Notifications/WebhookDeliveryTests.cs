using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Meridian.Processing.Tests.Workflows;

namespace Meridian.Processing.Tests.Notifications;

/// <summary>Webhook delivery end to end: a workflow's job events, through the outbox and the deliverer, to a real receiver.</summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private const string Secret = "receiver-secret-0123456789";
    private const string Workflow = """
        {"Name":"notified","StartAt":"Echo","States":{
          "Echo":{"Type":"Task","Process":"mirror","Next":"Notify"},
          "Notify":{"Type":"Task","Process":"notify","Parameters":{"execution.$":"$$.Execution.Id","message":"done","data.$":"$.v"},"End":true}}}
        """;

    private readonly TempDirectory _data = new();
    private ProcessingHost _host = null!;
    private WebhookReceiver _receiver = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync(Secret, failures: 3);
        _host = await ProcessingHost.StartAsync(_data.Path, [new MirrorProcess()], o => o.Notifications.MaxAttempts = 5);
        (await Client.PostAsync("workflows", Json(Workflow))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _receiver.DisposeAsync();
        _data.Dispose();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<string> SubscribeAsync(string path, string workflow)
    {
        var response = await Client.PostAsync("subscriptions", Json($$"""
            {"url":"{{_receiver.Address}}{{path}}","secret":"{{Secret}}","workflow":"{{workflow}}",
             "topics":["job.accepted","job.running","job.successful","job.failed","workflow.step","workflow.notify"]}
            """));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
    }

    private async Task RunWorkflowAsync()
    {
        var started = await Client.PostAsync("workflows/notified/executions", Json("""{"v":42}"""));
        Assert.Equal("successful", (string?)(await JobPolling.WaitForEndAsync(Client, started.Headers.Location!))["status"]);
    }

    /// <summary>The subscription's deliveries, oldest first, once none is pending.</summary>
    private async Task<JsonArray> SettledDeliveriesAsync(string subscription, int expected)
    {
        for (var i = 0; i < 1200; i++)
        {
            var deliveries = JsonNode.Parse(await Client.GetStringAsync($"subscriptions/{subscription}/deliveries"))!["deliveries"]!.AsArray();
            if (deliveries.Count == expected && deliveries.All(d => (string?)d!["outcome"] != "pending"))
                return new JsonArray(deliveries.Reverse().Select(d => d!.DeepClone()).ToArray());
            await Task.Delay(100);
        }
        throw new TimeoutException($"The deliveries of {subscription} did not settle.");
    }

    [Fact]
    public async Task An_endpoint_failing_three_times_gets_every_event_once_in_order()
    {
        var subscription = await SubscribeAsync("/hook", "notified");
        var elsewhere = await SubscribeAsync("/hook", "another-workflow");

        await RunWorkflowAsync();
        var deliveries = await SettledDeliveriesAsync(subscription, expected: 6);

        Assert.Equal(["job.accepted", "job.running", "workflow.step", "workflow.notify", "workflow.step", "job.successful"],
            _receiver.Accepted.Select(a => a.Topic));
        Assert.Equal(6, _receiver.Accepted.Select(a => a.Key).Distinct().Count());
        var notice = deliveries[3]!["event"]!;
        Assert.Equal("done", (string?)notice["data"]!["message"]);
        Assert.Equal(42, (int)notice["data"]!["data"]!);
        Assert.Equal("notified", (string?)notice["workflow"]);
        Assert.Equal(0, _receiver.BadSignatures);
        var first = _receiver.Accepted.First().Key;
        Assert.Equal([(first, 500), (first, 500), (first, 500), (first, 200)], _receiver.Requests.Take(4));
        Assert.Equal(_receiver.Accepted.Count, _receiver.Requests.Count(r => r.Status == 200));
        Assert.Equal([500, 500, 500, 200], deliveries[0]!["attempts"]!.AsArray().Select(a => (int)a!["status"]!));
        Assert.All(deliveries, d => Assert.Equal("delivered", (string?)d!["outcome"]));
        Assert.Empty(JsonNode.Parse(await Client.GetStringAsync($"subscriptions/{elsewhere}/deliveries"))!["deliveries"]!.AsArray());
    }

    [Fact]
    public async Task An_endpoint_that_stays_down_gets_each_event_dead_lettered_after_max_attempts()
    {
        var subscription = await SubscribeAsync("/down", "notified");

        await RunWorkflowAsync();
        var deliveries = await SettledDeliveriesAsync(subscription, expected: 6);

        Assert.All(deliveries, d =>
        {
            Assert.Equal("deadLettered", (string?)d!["outcome"]);
            Assert.Equal(Enumerable.Repeat(503, 5), d["attempts"]!.AsArray().Select(a => (int)a!["status"]!));
        });
        Assert.Equal("job.successful", (string?)deliveries[^1]!["event"]!["topic"]);
    }
}
