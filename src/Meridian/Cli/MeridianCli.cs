using System.CommandLine;
using Meridian.Composition;
using Meridian.Hosting.Configuration;

namespace Meridian.Cli;

/// <summary>The verbs of the meridian binary.</summary>
internal static class MeridianCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Meridian: a geospatial platform serving OGC APIs over GeoPackage and PostGIS.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(WorkflowCommand.Create());
        root.Subcommands.Add(CanaryCommand.Create());
        root.Subcommands.Add(ProbeCommand.Create());
        root.Subcommands.Add(BackupCommand.Create());
        root.Subcommands.Add(RestoreCommand.Create());
        root.Subcommands.Add(AnalyticsCommand.Create());
        return root;
    }

    /// <summary>Runs a verb, turning configuration errors into a message that names the setting and exit code 2.</summary>
    public static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (OptionsException e)
        {
            foreach (var error in e.Errors) await Console.Error.WriteLineAsync("error: " + error);
            return 2;
        }
    }
}
