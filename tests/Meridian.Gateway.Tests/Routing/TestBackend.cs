using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meridian.Gateway.Tests.Routing;

/// <summary>
/// A real HTTP backend on a loopback port (Kestrel, in this process) answering every request with the given
/// handler; it counts the requests it saw and reports its name and the request id it received.
/// </summary>
public sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _hits;

    private TestBackend(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    public string Name { get; }

    public int Hits => Volatile.Read(ref _hits);

    public string Address { get; private set; } = "";

    /// <summary>A backend answering 200 with {"backend": name, "requestId": …, "path": …}.</summary>
    public static Task<TestBackend> StartAsync(string name) => StartAsync(name, (_, _) => Task.FromResult(StatusCodes.Status200OK));

    /// <summary>A backend whose handler gets the request and its hit number and returns the status to answer with.</summary>
    public static async Task<TestBackend> StartAsync(string name, Func<HttpContext, int, Task<int>> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var backend = new TestBackend(app, name);
        app.Run(async context =>
        {
            var hit = Interlocked.Increment(ref backend._hits);
            context.Response.StatusCode = await handler(context, hit);
            await context.Response.WriteAsJsonAsync(new
            {
                backend = name,
                requestId = context.Request.Headers["X-Request-Id"].ToString(),
                path = context.Request.Path.Value,
            });
        });
        await app.StartAsync();
        backend.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
