using Meridian.Composition;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Tests.Composition;

/// <summary>The real Meridian host on a free loopback port, composed exactly as <c>meridian serve</c> composes it.</summary>
public sealed class MeridianServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MeridianServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    /// <summary>The host's services, e.g. to bump a collection version as a writer in this process would.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server; keys are configuration keys such as "Meridian:Data".</summary>
    public static async Task<MeridianServer> StartAsync(IDictionary<string, string?> settings)
    {
        var values = new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase) { ["urls"] = "http://127.0.0.1:0" };
        // These servers test the endpoints' own handling of hostile input, which must hold without the WAF in front
        // (the WAF has its own tests in Meridian.Gateway.Tests).
        values.TryAdd("Meridian:Gateway:Waf:Mode", "Off");
        var app = MeridianHost.Build(MeridianSettings.Load(null, values));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MeridianServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
