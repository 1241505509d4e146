using System.Collections.Concurrent;
using Meridian.Gateway.Tests.Composition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Meridian.Gateway.Tests.Routing;

/// <summary>
/// A real HTTP backend on a loopback port answering every request with the given handler; it counts the
/// requests it saw and reports its name and the request id it received.
/// </summary>
public sealed class TestBackend : IAsyncDisposable
{
    private LoopbackApp _app = null!;
    private readonly ConcurrentDictionary<string, int> _hitsByPath = new(StringComparer.Ordinal);
    private int _hits;

    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Requests for one path (e.g. not counting health probes).</summary>
    public int HitsOn(string path) => _hitsByPath.GetValueOrDefault(path);

    public string Address => _app.Address;

    public int Port => new Uri(Address).Port;

    /// <summary>A backend answering 200 with {"backend": name, "requestId": …, "path": …, "traceparent": …, "forwardedFor": …, "version": …}.</summary>
    public static Task<TestBackend> StartAsync(string name) => StartAsync(name, (_, _) => Task.FromResult(StatusCodes.Status200OK));

    /// <summary>A backend whose handler gets the request and its hit number and returns the status to answer with.</summary>
    public static async Task<TestBackend> StartAsync(string name, Func<HttpContext, int, Task<int>> handler, int port = 0)
    {
        var backend = new TestBackend();
        backend._app = await LoopbackApp.StartAsync(app => app.Run(async context =>
        {
            var hit = Interlocked.Increment(ref backend._hits);
            backend._hitsByPath.AddOrUpdate(context.Request.Path.Value ?? "", 1, (_, n) => n + 1);
            context.Response.StatusCode = await handler(context, hit);
            await context.Response.WriteAsJsonAsync(new
            {
                backend = name,
                requestId = context.Request.Headers["X-Request-Id"].ToString(),
                path = context.Request.Path.Value,
                traceparent = context.Request.Headers["traceparent"].ToString(),
                forwardedFor = context.Request.Headers["X-Forwarded-For"].ToString(),
                version = context.Request.Protocol,
            });
        }), port);
        return backend;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
