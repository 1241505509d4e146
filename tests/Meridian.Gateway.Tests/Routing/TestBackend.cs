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
    private int _hits;

    public int Hits => Volatile.Read(ref _hits);

    public string Address => _app.Address;

    /// <summary>A backend answering 200 with {"backend": name, "requestId": …, "path": …}.</summary>
    public static Task<TestBackend> StartAsync(string name) => StartAsync(name, (_, _) => Task.FromResult(StatusCodes.Status200OK));

    /// <summary>A backend whose handler gets the request and its hit number and returns the status to answer with.</summary>
    public static async Task<TestBackend> StartAsync(string name, Func<HttpContext, int, Task<int>> handler)
    {
        var backend = new TestBackend();
        backend._app = await LoopbackApp.StartAsync(app => app.Run(async context =>
        {
            var hit = Interlocked.Increment(ref backend._hits);
            context.Response.StatusCode = await handler(context, hit);
            await context.Response.WriteAsJsonAsync(new
            {
                backend = name,
                requestId = context.Request.Headers["X-Request-Id"].ToString(),
                path = context.Request.Path.Value,
            });
        }));
        return backend;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
