using System.CommandLine;
using Meridian.Backup;
using Meridian.Composition;

namespace Meridian.Cli;

/// <summary>
/// <c>meridian restore ARCHIVE [--replace] [--dry-run]</c>: checks the whole archive (format, names, sizes, SHA-256s),
/// then what it would overwrite, and only then writes: each collection atomically.
/// </summary>
internal static class RestoreCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var archive = new Argument<string>("ARCHIVE") { Description = "An archive of `meridian backup`: a file, or s3://BUCKET/KEY (reached with the Objects:S3 settings)." };
        var replace = new Option<bool>("--replace") { Description = "Replace collections, workflows and subscriptions that exist (each collection swapped whole); without it they stop the restore." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the archive and list what a restore would do, writing nothing." };
        var command = new Command("restore", "Restore an archive of `meridian backup` into the stores the settings name (the same as `serve`), "
            + "which may be of the other kind than the backup's: GeoPackage to PostGIS and back.") { archive, replace, dryRun };
        common.AddTo(command, withGeoPackages: false);
        command.SetAction((parse, ct) => MeridianCli.Guard(async () =>
        {
            var settings = MeridianSettings.Load(parse.GetValue(common.Config), common.ToConfiguration(parse));
            var location = BackupLocation.Parse(parse.GetValue(archive)!);
            using var interruption = new Interruption(ct);
            await using var stores = BackupStores.Open(settings.Options);
            var restore = new PlatformRestore(stores.Features, stores.Keys, stores.Objects, settings.Options.Cache, stores.Logging,
                line => Console.Error.WriteLine(line));
            var dry = parse.GetValue(dryRun);
            try
            {
                var plan = await location.ReadAsync(settings.Options, path => restore.RestoreAsync(path, location.ToString(), parse.GetValue(replace), dry,
                    settings.Options.Ingest.MaxCompressionRatio, interruption.Token), interruption.Token);
                if (dry) await PrintAsync(plan);
                foreach (var note in plan.Notes) await Console.Error.WriteLineAsync("note: " + note);
                foreach (var problem in plan.Problems) await Console.Error.WriteLineAsync("error: " + problem);
                if (plan.Problems.Count == 0) return 0;
                await Console.Error.WriteLineAsync("nothing was restored");
                return 1;
            }
            catch (OperationCanceledException) when (interruption.Token.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync(restore.Started ? "cancelled; the collection being loaded rolled back, those before it are restored" : "cancelled; nothing was restored");
                return Interruption.ExitCode;
            }
            catch (Exception e) when (e is BackupArchiveException || BackupStores.IsFailure(e))
            {
                await Console.Error.WriteLineAsync($"error: {e.Message.TrimEnd('.')}; "
                    + (restore.Started ? "the collection being loaded rolled back, what the lines above name is restored" : "nothing was restored"));
                return 1;
            }
        }));
        return command;
    }

    /// <summary>The plan on stdout, a line per thing restored: kind, name, what it holds, what the restore does with it.</summary>
    private static async Task PrintAsync(RestorePlan plan)
    {
        await Console.Out.WriteLineAsync("kind\tname\tcontents\taction");
        foreach (var (c, exists) in plan.Collections)
        {
            await Console.Out.WriteLineAsync(string.Join('\t', "collection", c.Id,
                $"{c.Features:N0} features, {c.GeometryType}, EPSG:{c.Srid}, {(c.Owner is null ? "public" : "tenant " + c.Owner)}", exists ? "replace" : "create"));
        }
        foreach (var (d, exists) in plan.Documents)
            await Console.Out.WriteLineAsync(string.Join('\t', "document", d.Key, PlatformRestore.Describe(d), exists ? "replace" : "create"));
        await Console.Out.WriteLineAsync(string.Join('\t', "keys", "", $"{plan.Keys.Count} API keys", "add those missing"));
    }
}
