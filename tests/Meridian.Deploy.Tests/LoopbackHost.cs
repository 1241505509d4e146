using Meridian.Composition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Deploy.Tests;

/// <summary>A real Meridian host composed as <c>meridian serve</c> composes it, listening on a free loopback port.</summary>
internal static class LoopbackHost
{
    /// <summary>Starts a host; keys are configuration keys such as "Meridian:Data".</summary>
    public static async Task<WebApplication> StartAsync(Dictionary<string, string?> settings, string? configFile = null)
    {
        settings["urls"] = "http://127.0.0.1:0";
        var app = MeridianHost.Build(MeridianSettings.Load(configFile, settings));
        await app.StartAsync();
        return app;
    }

    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
}
