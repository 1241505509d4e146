using Meridian.Analytics;
using Meridian.Features;
using Meridian.Gateway;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Modules;
using Meridian.Ingestion;
using Meridian.Processing;
using Meridian.Processing.Notifications;
using Meridian.Tiles;

namespace Meridian.Composition;

/// <summary>The role table: every role this binary can run. "all" runs them all in one process.</summary>
internal static class Roles
{
    public const string All = "all";

    private static readonly IReadOnlyDictionary<string, Func<IModule>> Table = new Dictionary<string, Func<IModule>>(StringComparer.OrdinalIgnoreCase)
    {
        ["features"] = () => new FeaturesModule(),
        ["tiles"] = () => new TilesModule(),
        ["ingest"] = () => new IngestModule(),
        ["processes"] = () => new ProcessesModule(),
        ["worker"] = () => new WorkerModule(),
        ["notifications"] = () => new NotificationsModule(),
        ["gateway"] = () => new GatewayModule(),
        ["analytics"] = () => new AnalyticsModule(),
    };

    public static IEnumerable<string> Names => Table.Keys;

    /// <summary>Whether the roles requested are <paramref name="role"/> and nothing else.</summary>
    public static bool IsOnly(IEnumerable<string> requested, string role) =>
        Split(requested).Distinct(StringComparer.OrdinalIgnoreCase).ToList() is [var only] && string.Equals(only, role, StringComparison.OrdinalIgnoreCase);

    public static IReadOnlyList<IModule> Resolve(IEnumerable<string> requested) => Resolve(requested, "Meridian:Roles");

    /// <summary>
    /// The modules of every role the deployment runs (<c>Meridian:DeployedRoles</c>, this process's roles included): a
    /// process lists their contributions to the landing page, conformance and API definition, whether it runs them or not.
    /// Only constructed, never given services: a module's contribution needs none.
    /// </summary>
    public static IReadOnlyList<IModule> Deployed(MeridianOptions options)
    {
        var own = Resolve(options.Roles);
        if (Split(options.DeployedRoles).Count == 0) return own;
        var elsewhere = Resolve(options.DeployedRoles, "Meridian:DeployedRoles");
        return own.Concat(elsewhere).DistinctBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static IReadOnlyList<IModule> Resolve(IEnumerable<string> requested, string setting)
    {
        var names = Split(requested);
        if (names.Count == 0 || names.Contains(All, StringComparer.OrdinalIgnoreCase)) return Table.Values.Select(f => f()).ToList();
        var unknown = names.Where(n => !Table.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
            throw new OptionsException([$"{setting}: unknown role(s) {string.Join(", ", unknown)} (known: {All}, {string.Join(", ", Table.Keys)})"]);
        return names.Distinct(StringComparer.OrdinalIgnoreCase).Select(n => Table[n]()).ToList();
    }

    /// <summary>"--roles a,b --roles c" and the configuration's list alike: one name per entry.</summary>
    private static List<string> Split(IEnumerable<string> requested) =>
        requested.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
