using System.CommandLine;
using Meridian.Composition;
using Meridian.Ingestion;
using Meridian.Ingestion.GeoJson;

namespace Meridian.Cli;

internal static class IngestCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var file = new Argument<FileInfo>("FILE") { Description = "A GeoJSON FeatureCollection (RFC 7946, any size: it is streamed)." };
        var collection = new Option<string>("--collection") { Description = "The collection to create or append to.", Required = true };
        var command = new Command("ingest", "Load a file into a collection of the embedded store (or PostGIS with --postgres), in one transaction.")
        {
            file, collection,
        };
        common.AddTo(command, withGeoPackages: false);
        command.SetAction((parse, ct) => MeridianCli.Guard(async () =>
        {
            var settings = MeridianSettings.Load(parse.GetValue(common.Config), common.ToConfiguration(parse));
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"error: {path.FullName} does not exist");
                return 1;
            }
            using var logging = LoggerFactory.Create(l => l.AddSimpleConsole());
            var store = FeatureStores.Writable(settings.Options, logging);
            var progress = new Progress<long>(n => Console.Error.Write($"\r{n:N0} features read"));
            try
            {
                var loaded = await GeoJsonIngest.IngestAsync(path.FullName, parse.GetValue(collection)!, store, progress, ct);
                await Caching.AnnounceLoadAsync(settings.Options.Cache, parse.GetValue(collection)!, logging, ct);
                await Console.Error.WriteLineAsync($"\rloaded {loaded:N0} features into '{parse.GetValue(collection)}' ({store.Name})");
                return 0;
            }
            catch (Exception e) when (e is GeoJsonException or InvalidDataException or ArgumentException or InvalidOperationException or NotSupportedException)
            {
                await Console.Error.WriteLineAsync($"\rerror: {path.Name}: {e.Message}; nothing was loaded");
                return 1;
            }
        }));
        return command;
    }
}
