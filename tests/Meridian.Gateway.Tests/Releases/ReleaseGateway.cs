using Meridian.Gateway.Auth;
using Meridian.Gateway.Tests.Composition;
using Meridian.Gateway.Tests.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Gateway.Tests.Releases;

/// <summary>A gateway whose route r (or the given one) releases from a stable to a candidate backend.</summary>
internal static class ReleaseGateway
{
    public static Dictionary<string, string?> Settings(TestBackend stable, TestBackend candidate, string kind = "Canary", string route = "r") => new()
    {
        ["Roles:0"] = "gateway",
        [$"Gateway:Routes:{route}:Cluster"] = "stable",
        [$"Gateway:Routes:{route}:Release:Kind"] = kind,
        [$"Gateway:Routes:{route}:Release:Cluster"] = "candidate",
        ["Gateway:Clusters:stable:Destinations:0"] = stable.Address,
        ["Gateway:Clusters:candidate:Destinations:0"] = candidate.Address,
        // Failing canary answers must reach the analysis rather than get the canary's only destination ejected.
        ["Gateway:Clusters:candidate:EjectAfterErrors"] = "1000",
    };

    /// <summary>An API key with one scope, in the gateway's key store.</summary>
    public static async Task<string> KeyAsync(MeridianTestHost gateway, string scope)
    {
        var (id, key) = ApiKeys.Generate();
        await gateway.Services.GetRequiredService<IApiKeyStore>().AddAsync(
            new ApiKeyRecord(id, "ops", [scope], null, DateTimeOffset.UtcNow, null, null), ApiKeys.Hash(key));
        return key;
    }
}
