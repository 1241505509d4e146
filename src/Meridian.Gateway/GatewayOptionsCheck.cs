using System.ComponentModel.DataAnnotations;
using Meridian.Hosting.Configuration;

namespace Meridian.Gateway;

/// <summary>
/// Checks what the generic options validator cannot see inside the route, cluster and rule collections, so
/// that a bad gateway setting stops the process with a message naming it (exit code 2) like any other.
/// </summary>
internal static class GatewayOptionsCheck
{
    public static void Validate(GatewayOptions gateway)
    {
        const string root = "Meridian:Gateway";
        var errors = new List<string>();
        foreach (var (name, route) in gateway.Routes)
        {
            if (!gateway.Clusters.ContainsKey(route.Cluster))
                errors.Add($"{root}:Routes:{name}:Cluster: no cluster named '{route.Cluster}' (known: {string.Join(", ", gateway.Clusters.Keys)})");
            if (route.PathPrefix is { } prefix && !prefix.StartsWith('/'))
                errors.Add($"{root}:Routes:{name}:PathPrefix: '{prefix}' must start with /");
            if (route.Attempts is < 1 or > 10) errors.Add($"{root}:Routes:{name}:Attempts: between 1 and 10");
            if (route.Release is { } release) ValidateRelease($"{root}:Routes:{name}:Release", route, release, gateway, errors);
        }
        foreach (var (name, cluster) in gateway.Clusters)
        {
            if (cluster.Destinations.Count == 0) errors.Add($"{root}:Clusters:{name}:Destinations: at least one address");
            for (var i = 0; i < cluster.Destinations.Count; i++)
            {
                if (!Uri.TryCreate(cluster.Destinations[i], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                    errors.Add($"{root}:Clusters:{name}:Destinations:{i}: '{cluster.Destinations[i]}' is not an http(s) address");
            }
        }
        var rules = gateway.RateLimiting.Rules;
        foreach (var duplicate in rules.GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"{root}:RateLimiting:Rules: the name '{duplicate.Key}' is used twice");
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Limit < 1) errors.Add($"{root}:RateLimiting:Rules:{i}:Limit: at least 1");
            if (rules[i].Window < TimeSpan.FromSeconds(1)) errors.Add($"{root}:RateLimiting:Rules:{i}:Window: at least 00:00:01");
            if (string.IsNullOrWhiteSpace(rules[i].Name)) errors.Add($"{root}:RateLimiting:Rules:{i}:Name: required");
        }
        if (errors.Count > 0) throw new OptionsException(errors);
    }

    private static void ValidateRelease(string path, GatewayRouteOptions route, ReleaseOptions release, GatewayOptions gateway, List<string> errors)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(release, new ValidationContext(release), results, validateAllProperties: true);
        errors.AddRange(results.Select(r => $"{path}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        if (release.Cluster.Length > 0 && !gateway.Clusters.ContainsKey(release.Cluster))
            errors.Add($"{path}:Cluster: no cluster named '{release.Cluster}' (known: {string.Join(", ", gateway.Clusters.Keys)})");
        if (string.Equals(release.Cluster, route.Cluster, StringComparison.OrdinalIgnoreCase))
            errors.Add($"{path}:Cluster: the candidate must be another cluster than the route's own '{route.Cluster}'");
        if (release.StartPercent > release.MaxPercent) errors.Add($"{path}:StartPercent: at most MaxPercent ({release.MaxPercent})");
    }
}
