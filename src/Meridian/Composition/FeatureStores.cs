using Meridian.Hosting.Configuration;
using Meridian.Storage;
using Meridian.Storage.GeoPackage;
using Microsoft.Extensions.Logging;

namespace Meridian.Composition;

/// <summary>Builds the feature stores the options ask for, once, at start-up; a bad file stops the process.</summary>
internal static class FeatureStores
{
    /// <summary>Meridian's own collections: one GeoPackage per collection under DATA/features.</summary>
    public static GeoPackageDirectoryStore Embedded(MeridianOptions options, ILoggerFactory logging) =>
        new(Path.Combine(options.Data, "features"), logging.CreateLogger<GeoPackageDirectoryStore>());

    /// <summary>Where <c>meridian ingest</c> loads: the embedded store.</summary>
    public static IWritableFeatureStore Writable(MeridianOptions options, ILoggerFactory logging) => Embedded(options, logging);

    /// <summary>In precedence order: the embedded store, then each --gpkg file, then PostGIS.</summary>
    public static async Task<IReadOnlyList<IFeatureStore>> OpenAsync(MeridianOptions options, ILoggerFactory logging, CancellationToken ct)
    {
        var stores = new List<IFeatureStore> { Embedded(options, logging) };
        foreach (var file in options.GeoPackages)
        {
            try
            {
                stores.Add(await GeoPackageStore.OpenAsync(file, logging.CreateLogger<GeoPackageStore>(), ct));
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
            {
                throw new OptionsException([$"Meridian:GeoPackages: {e.Message}"]);
            }
        }
        return stores;
    }
}
