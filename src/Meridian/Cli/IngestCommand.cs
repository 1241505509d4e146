using System.CommandLine;
using Meridian.Composition;
using Meridian.Ingestion;
using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Validation;

namespace Meridian.Cli;

/// <summary>
/// <c>meridian ingest FILE... --collection NAME</c>: loads files into a collection, each in one transaction,
/// directly into the configured store, or through a running server with <c>--server</c>.
/// </summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var files = new Argument<FileInfo[]>("FILE")
        {
            Description = "Files to load: GeoJSON, GeoJSON sequences, CSV, zipped Shapefile, GeoPackage, GPX, KML or FlatGeobuf.",
            Arity = ArgumentArity.OneOrMore,
        };
        var collection = new Option<string>("--collection") { Description = "The collection to load into.", Required = true };
        var mode = new Option<IngestMode>("--mode") { Description = "create: a new collection (the default); append: add to it, creating it when missing; replace: swap its contents for the file's once loaded.", DefaultValueFactory = _ => IngestMode.Create };
        var layer = new Option<string?>("--layer") { Description = "The layer to load from a file of several (a GeoPackage table, GPX waypoints/routes/tracks)." };
        var crs = new Option<string?>("--crs") { Description = "The CRS of the coordinates as EPSG:n, when the file declares none or a wrong one." };
        var invalid = new Option<InvalidGeometryPolicy>("--invalid") { Description = "Invalid geometries: repair (the default) or reject.", DefaultValueFactory = _ => InvalidGeometryPolicy.Repair };
        var server = new Option<string?>("--server") { Description = "Upload to a running Meridian (e.g. http://127.0.0.1:8080) instead of loading the store directly; the API key comes from MERIDIAN_API_KEY." };
        var command = new Command("ingest", "Load files into a collection; each file is one transaction, and bad records are listed, never dropped silently.")
        {
            files, collection, mode, layer, crs, invalid, server,
        };
        common.AddTo(command, withGeoPackages: false);
        command.SetAction((parse, ct) => MeridianCli.Guard(async () =>
        {
            var paths = parse.GetValue(files)!;
            var missing = paths.Where(f => !f.Exists).ToList();
            foreach (var file in missing)
            {
                await Console.Error.WriteLineAsync(Directory.Exists(file.FullName)
                    ? $"error: {file.FullName} is a directory: name the files in it"
                    : $"error: {file.FullName} does not exist");
            }
            if (missing.Count > 0) return 1;
            if (!TryParseCrs(parse.GetValue(crs), out var sourceCrs))
            {
                await Console.Error.WriteLineAsync($"error: --crs '{parse.GetValue(crs)}': expected EPSG:n, e.g. EPSG:25832");
                return 2;
            }
            var request = new IngestRequest(parse.GetValue(collection)!)
            {
                Mode = parse.GetValue(mode),
                Layer = parse.GetValue(layer),
                Crs = sourceCrs,
                Validation = new ValidationOptions { InvalidGeometries = parse.GetValue(invalid) },
            };
            using var interruption = new Interruption(ct);
            if (parse.GetValue(server) is { } address)
            {
                return await RemoteServer.ParseAsync(address) is { } url ? await RemoteIngest.RunAsync(url, paths, request, interruption.Token) : 2;
            }
            var settings = MeridianSettings.Load(parse.GetValue(common.Config), common.ToConfiguration(parse));
            return await LocalIngestAsync(settings, paths, request with { Source = IngestLimits.From(settings.Options.Ingest).Source() }, interruption.Token);
        }));
        return command;
    }

    private static async Task<int> LocalIngestAsync(MeridianSettings settings, FileInfo[] paths, IngestRequest request, CancellationToken ct)
    {
        using var logging = LoggerFactory.Create(l => l.AddSimpleConsole());
        var store = FeatureStores.Writable(settings.Options, logging);
        var failed = 0;
        foreach (var (path, index) in paths.Select((p, i) => (p, i)))
        {
            // Later files add to what the first one created.
            var fileRequest = index == 0 ? request : request with { Mode = IngestMode.Append };
            var progress = new ProgressLine(path.Name);
            try
            {
                var report = await IngestPipeline.RunAsync(path.FullName, fileRequest, store, progress, ct);
                progress.Done();
                await Caching.AnnounceLoadAsync(settings.Options.Cache, request.Collection, logging, ct);
                await IngestReportPrinter.PrintAsync(report, store.Name);
            }
            catch (Exception e) when (e is SourceFormatException or IngestException or InvalidDataException or ArgumentException or InvalidOperationException or NotSupportedException)
            {
                progress.Done();
                await Console.Error.WriteLineAsync($"error: {path.Name}: {e.Message.TrimEnd('.')}; nothing was loaded from it");
                failed++;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C: the load rolled back and its temporary files are gone; files loaded before it stay.
                progress.Done();
                await Console.Error.WriteLineAsync($"{path.Name}: cancelled; nothing was loaded from it");
                return Interruption.ExitCode;
            }
        }
        return failed == 0 ? 0 : 1;
    }

    internal static bool TryParseCrs(string? text, out SourceCrs? crs)
    {
        crs = null;
        if (text is null) return true;
        var digits = text.StartsWith("EPSG:", StringComparison.OrdinalIgnoreCase) ? text[5..] : text;
        if (!int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) || code < 1) return false;
        crs = SourceCrs.FromEpsg(code);
        return true;
    }
}
