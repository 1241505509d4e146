using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Tests.Composition;

/// <summary>
/// Meridian runs without ASP.NET Core's authorization middleware (ServiceDefaults tells WebApplication it is there):
/// that is only sound while no endpoint asks the framework for authorization, which these tests hold every role to.
/// </summary>
public sealed class AuthorizationMetadataTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private MeridianServer? _server;

    public async Task InitializeAsync()
    {
        // Every role (the gateway's proxied routes and release endpoints among them), with one proxied route.
        _server = await MeridianServer.StartAsync(new Dictionary<string, string?>
        {
            ["Meridian:Data"] = Path.Combine(_directory.Path, "data"),
            ["Meridian:Gateway:Routes:backend:PathPrefix"] = "/backend",
            ["Meridian:Gateway:Routes:backend:Cluster"] = "backend",
            ["Meridian:Gateway:Clusters:backend:Destinations:0"] = "http://127.0.0.1:9",
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public void NoEndpoint_CarriesAuthorizationMetadata()
    {
        var endpoints = _server!.Services.GetRequiredService<EndpointDataSource>().Endpoints;

        Assert.Contains(endpoints, e => e.DisplayName?.Contains("backend", StringComparison.OrdinalIgnoreCase) == true);
        Assert.All(endpoints, e => Assert.True(
            e.Metadata.GetMetadata<IAuthorizeData>() is null && e.Metadata.GetMetadata<AuthorizationPolicy>() is null,
            $"{e.DisplayName} asks for ASP.NET Core authorization, which Meridian's pipeline does not run"));
    }
}
