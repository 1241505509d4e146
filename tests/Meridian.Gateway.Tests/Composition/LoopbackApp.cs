using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meridian.Gateway.Tests.Composition;

/// <summary>A small real HTTP server (Kestrel, in this process) on a free loopback port: test backends, an OIDC provider.</summary>
public sealed class LoopbackApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackApp(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The base address, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string Address { get; }

    /// <summary>Starts on the given port, or a free one (0).</summary>
    public static async Task<LoopbackApp> StartAsync(Action<WebApplication> map, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new LoopbackApp(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
