using Meridian.Composition;

namespace Meridian.Deploy.Tests;

/// <summary>
/// A container's environment and command line put through what <c>meridian serve</c> does before it listens:
/// the options tree bound and validated (unknown keys and bad values refused, naming the setting), the roles resolved,
/// the gateway's routes and clusters checked, the stores and bus built from their settings.
/// </summary>
internal static class StartupValidation
{
    /// <summary>Variables the image sets for the runtime rather than for Meridian.</summary>
    private static readonly HashSet<string> RuntimeVariables = new(StringComparer.Ordinal) { "TMPDIR" };

    public static bool IsRole(string name) => name == Roles.All || Roles.Names.Contains(name, StringComparer.Ordinal);

    /// <summary>The roles of a <c>serve</c> command line (none: every role).</summary>
    public static IReadOnlyList<string> RolesOf(IReadOnlyList<string> args)
    {
        var at = args.ToList().IndexOf("--roles");
        return at < 0 ? [] : args[at + 1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Asserts that every process of a deployment describes all of it — the roles its landing page, <c>/conformance</c> and
    /// <c>/api</c> list (its own and <c>Meridian:DeployedRoles</c>) are the roles its processes run — so that clients
    /// discover the tiles and processes endpoints whichever process answers.
    /// </summary>
    public static void AssertEveryProcessDescribesTheDeployment(IEnumerable<(string Name, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string> Args)> processes)
    {
        var all = processes.ToList();
        var deployed = all.SelectMany(p => Roles.Resolve(RolesOf(p.Args)).Select(m => m.Name)).Order().Distinct().ToList();
        foreach (var (name, environment, args) in all)
        {
            var options = new Meridian.Hosting.Configuration.MeridianOptions
            {
                Roles = RolesOf(args).ToList(),
                DeployedRoles = environment.Where(e => e.Key.StartsWith("MERIDIAN__DeployedRoles__", StringComparison.Ordinal)).OrderBy(e => e.Key).Select(e => e.Value).ToList(),
            };
            var described = Roles.Deployed(options).Select(m => m.Name).Order().ToList();
            Assert.True(deployed.SequenceEqual(described),
                $"{name} describes the roles {string.Join(", ", described)}, but the deployment runs {string.Join(", ", deployed)}: set MERIDIAN__DeployedRoles");
        }
    }

    /// <summary>The port of a <c>serve</c> command line's <c>--urls</c>, which must listen on every address.</summary>
    public static int PortOf(IReadOnlyList<string> args)
    {
        var at = args.ToList().IndexOf("--urls");
        Assert.True(at >= 0, $"'{string.Join(' ', args)}' has no --urls: Meridian would listen on 127.0.0.1 only, out of reach outside the container");
        var url = new Uri(args[at + 1]);
        Assert.Equal("0.0.0.0", url.Host);
        return url.Port;
    }

    /// <summary>
    /// Builds the Meridian host a container would run. <paramref name="configFile"/> maps a <c>--config</c> path inside
    /// the container to the repository file mounted there. Throws (OptionsException) when Meridian would refuse to start.
    /// </summary>
    public static async Task BuildAsync(string container, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> args, Func<string, string> configFile)
    {
        try
        {
            await BuildAsync(environment, args, configFile);
        }
        catch (Meridian.Hosting.Configuration.OptionsException e)
        {
            Assert.Fail($"{container}: meridian {string.Join(' ', args)} would stop at start: {e.Message}");
        }
    }

    private static async Task BuildAsync(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> args, Func<string, string> configFile)
    {
        Assert.Equal("serve", args[0]);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (RuntimeVariables.Contains(name)) continue;
            // A misspelt prefix would not be read at all: the options validator only sees the Meridian section.
            Assert.True(name.StartsWith("MERIDIAN__", StringComparison.Ordinal), $"{name} is not a MERIDIAN__ setting");
            values[name.Replace("__", ":", StringComparison.Ordinal)] = value; // what the environment provider does
        }
        string? config = null;
        for (var i = 1; i < args.Count; i += 2)
        {
            Assert.True(i + 1 < args.Count, $"{args[i]} has no value");
            switch (args[i])
            {
                case "--roles":
                    var roles = RolesOf(args);
                    for (var r = 0; r < roles.Count; r++) values[$"Meridian:Roles:{r}"] = roles[r];
                    break;
                case "--urls":
                    values["urls"] = args[i + 1];
                    break;
                case "--config":
                    config = configFile(args[i + 1]);
                    break;
                default:
                    Assert.Fail($"serve option {args[i]} is not one the deployments are expected to use");
                    break;
            }
        }
        using var data = new TempDirectory();
        values["Meridian:Data"] = data.Path; // the container's volume
        var settings = MeridianSettings.Load(config, values);
        await using var app = MeridianHost.Build(settings);
    }
}
