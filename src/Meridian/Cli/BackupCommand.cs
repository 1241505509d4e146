using System.CommandLine;
using Meridian.Backup;
using Meridian.Composition;
using Meridian.Gateway.Auth;

namespace Meridian.Cli;

/// <summary>
/// <c>meridian backup [DESTINATION]</c>: one archive of what the platform needs to work again (collections, keys,
/// workflows, subscriptions), read from the stores the settings name while they serve on.
/// </summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var destination = new Argument<string?>("DESTINATION")
        {
            Description = "A file, a folder (the archive is named meridian-backup-TIME.zip in it), or s3://BUCKET/KEY or s3://BUCKET/FOLDER/ "
                + "(reached with the Objects:S3 settings). Default: a dated archive in the current folder.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("backup", "Write every collection (features, schema, CRS, owner), the API keys (hashed), workflow definitions and "
            + "webhook subscriptions into one zip archive, through the same stores `serve` uses, while it serves.") { destination };
        common.AddTo(command, withGeoPackages: false);
        command.SetAction((parse, ct) => MeridianCli.Guard(async () =>
        {
            var settings = MeridianSettings.Load(parse.GetValue(common.Config), common.ToConfiguration(parse));
            var location = BackupLocation.Parse(parse.GetValue(destination) ?? ".", DateTimeOffset.UtcNow);
            using var interruption = new Interruption(ct);
            await using var stores = BackupStores.Open(settings.Options);
            try
            {
                BackupManifest? manifest = null;
                var backup = new PlatformBackup(stores.Features, stores.Keys, stores.Objects, line => Console.Error.WriteLine(line));
                await location.WriteAsync(settings.Options, async (stream, token) => manifest = await backup.WriteAsync(stream, token), interruption.Token);
                await Console.Error.WriteLineAsync($"wrote {location}: {manifest!.Collections.Count} collections "
                    + $"({manifest.Collections.Sum(c => c.Features):N0} features), {manifest.Documents.Count} workflow and subscription documents");
                await Console.Out.WriteLineAsync(location.ToString());
                return 0;
            }
            catch (OperationCanceledException) when (interruption.Token.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("cancelled; no archive was written");
                return Interruption.ExitCode;
            }
            catch (Exception e) when (BackupStores.IsFailure(e))
            {
                await Console.Error.WriteLineAsync($"error: {e.Message.TrimEnd('.')}; no archive was written");
                return 1;
            }
        }));
        return command;
    }
}
