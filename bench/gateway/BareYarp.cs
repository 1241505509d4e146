using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Meridian.Bench.Gateway;

/// <summary>
/// The baseline of proxy.sh: YARP as its documentation sets it up, one route to one destination, no policies,
/// no Meridian pipeline, warnings-only logging — what the gateway's own overhead is measured against.
/// </summary>
internal static class BareYarp
{
    public static async Task RunAsync(string listen, string backend)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(listen);
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "backend", Match = new RouteMatch { Path = "/{**rest}" } }],
            [new ClusterConfig { ClusterId = "backend", Destinations = new Dictionary<string, DestinationConfig> { ["b"] = new() { Address = backend } } }]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.RunAsync();
    }
}
