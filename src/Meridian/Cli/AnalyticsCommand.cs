using System.CommandLine;
using System.Globalization;
using DuckDB.NET.Data;
using Meridian.Analytics;
using Meridian.Analytics.Maintenance;
using Meridian.Backup;
using Meridian.Composition;
using Meridian.Hosting.Configuration;
using Meridian.Storage.Objects;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meridian.Cli;

/// <summary>
/// <c>meridian analytics compact|prune [--dry-run]</c>: the analytics lake's upkeep that the <c>analytics</c> role runs every
/// <c>Analytics:MaintenanceMinutes</c>, by hand or from cron, on the object store and with the settings <c>serve</c> uses.
/// Safe beside serving processes and beside each other. Exit codes: 0 done, 1 the store or a file failed, 2 a bad setting,
/// 130 interrupted.
/// </summary>
internal static class AnalyticsCommand
{
    public static Command Create()
    {
        var command = new Command("analytics", "Upkeep of the analytics event lake (the Parquet files under analytics/events/ in the object store).");
        command.Subcommands.Add(Verb("compact", "Merge each closed hour's event files into one (hours that ended Analytics:CompactAfterMinutes ago), and "
            + $"delete the files merged by an earlier run once its merged file is {LakeCompactor.Grace.TotalMinutes:0} minutes old.",
            async (services, dryRun, token) =>
            {
                var done = await services.GetRequiredService<LakeCompactor>().RunAsync(dryRun, token);
                return dryRun
                    ? $"would merge {done.FilesMerged} files of {done.HoursCompacted} hours and delete {done.FilesDeleted} files merged before"
                    : $"merged {done.FilesMerged} files of {done.HoursCompacted} hours ({done.BytesWritten.ToString("N0", CultureInfo.InvariantCulture)} bytes written); "
                        + $"deleted {done.FilesDeleted} files merged before";
            }));
        command.Subcommands.Add(Verb("prune", "Delete the event files of the hours that ended more than Analytics:RetentionDays days ago (0 keeps them for ever).",
            async (services, dryRun, token) =>
            {
                var done = await services.GetRequiredService<LakeRetention>().RunAsync(dryRun, token);
                if (done.Before is not { } before) return "Analytics:RetentionDays is 0: events are kept for ever, nothing deleted";
                var bytes = done.Bytes.ToString("N0", CultureInfo.InvariantCulture);
                var hours = before.ToString("yyyy-MM-dd'T'HH':00Z'", CultureInfo.InvariantCulture);
                return $"{(dryRun ? "would delete" : "deleted")} {done.FilesDeleted} files ({bytes} bytes) of the hours before {hours}";
            }));
        return command;
    }

    private static Command Verb(string name, string description, Func<IServiceProvider, bool, CancellationToken, Task<string>> run)
    {
        var common = new CommonOptions();
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would be done; change nothing." };
        var command = new Command(name, description) { dryRun };
        common.AddTo(command, withGeoPackages: false);
        command.SetAction((parse, ct) => MeridianCli.Guard(async () =>
        {
            var settings = MeridianSettings.Load(parse.GetValue(common.Config), common.ToConfiguration(parse));
            using var interruption = new Interruption(ct);
            await using var services = Services(settings.Options);
            try
            {
                await Console.Out.WriteLineAsync(await run(services, parse.GetValue(dryRun), interruption.Token));
                return 0;
            }
            catch (OperationCanceledException) when (interruption.Token.IsCancellationRequested)
            {
                // Every step is whole or not done: what was merged stays merged, the rest waits for the next run.
                await Console.Error.WriteLineAsync("cancelled");
                return Interruption.ExitCode;
            }
            catch (Exception e) when (BackupStores.IsFailure(e) || e is DuckDBException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message.TrimEnd('.')}");
                return 1;
            }
        }));
        return command;
    }

    private static ServiceProvider Services(MeridianOptions options) => new ServiceCollection()
        .AddSingleton(options)
        .AddSingleton<IObjectStore>(_ => ObjectStores.Create(options))
        .AddLogging(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning))
        .AddAnalyticsLake()
        .BuildServiceProvider();
}
