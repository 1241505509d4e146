using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Meridian.Processing.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meridian.Processing.Tests.Notifications;

/// <summary>
/// A webhook endpoint as a subscriber would write one, on a real Kestrel server: <c>/hook</c> fails its first
/// <c>failures</c> requests with a 500, then checks each signature and keeps each event once by its Idempotency-Key
/// (the receiver's view); <c>/down</c> always answers 503.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    private WebhookReceiver(WebApplication app, int failures)
    {
        _app = app;
        _failuresLeft = failures;
    }

    public string Address { get; private set; } = "";

    /// <summary>Every request to /hook: its Idempotency-Key and the status answered.</summary>
    public ConcurrentQueue<(string Key, int Status)> Requests { get; } = new();

    /// <summary>The receiver's view: each event once, in the order first accepted, with its topic and the id of its job.</summary>
    public ConcurrentQueue<(string Key, string Topic, string JobId)> Accepted { get; } = new();

    public int BadSignatures;

    public static async Task<WebhookReceiver> StartAsync(string secret, int failures)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, failures);
        var seen = new ConcurrentDictionary<string, bool>();
        app.MapPost("/hook", async (HttpContext context) =>
        {
            var key = context.Request.Headers["Idempotency-Key"].ToString();
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            if (Interlocked.Decrement(ref receiver._failuresLeft) >= 0)
            {
                receiver.Requests.Enqueue((key, 500));
                return Results.StatusCode(500);
            }
            if (!WebhookSignature.Verify(secret, context.Request.Headers[WebhookSignature.Header].ToString(), buffer.ToArray()))
            {
                Interlocked.Increment(ref receiver.BadSignatures);
                receiver.Requests.Enqueue((key, 401));
                return Results.StatusCode(401);
            }
            if (seen.TryAdd(key, true))
                receiver.Accepted.Enqueue((key, context.Request.Headers["Meridian-Event"].ToString(), (string)JsonNode.Parse(buffer.ToArray())!["job"]!["id"]!));
            receiver.Requests.Enqueue((key, 200));
            return Results.Ok();
        });
        app.MapPost("/down", () => Results.StatusCode(503));
        await app.StartAsync();
        receiver.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
