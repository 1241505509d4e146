using Meridian.Composition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Gateway.Tests.Composition;

/// <summary>Meridian composed as <c>meridian serve</c> composes it, on a free loopback port, with an empty data directory.</summary>
public sealed class MeridianTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _data;

    private MeridianTestHost(WebApplication app, TempDirectory data, Uri address)
    {
        _app = app;
        _data = data;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a host; settings are configuration keys relative to "Meridian:" (e.g. "Gateway:Waf:Mode").</summary>
    public static async Task<MeridianTestHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var data = new TempDirectory();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["urls"] = "http://127.0.0.1:0", ["Meridian:Data"] = data.Path };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values["Meridian:" + key] = value;
        WebApplication app;
        try
        {
            app = MeridianHost.Build(MeridianSettings.Load(null, values));
            await app.StartAsync();
        }
        catch
        {
            data.Dispose();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MeridianTestHost(app, data, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
