using Meridian.Hosting.Catalog;
using Meridian.Hosting.Configuration;
using Meridian.Storage;
using Meridian.Storage.GeoPackage;
using Meridian.Storage.PostGis;
using Microsoft.Extensions.Logging;

namespace Meridian.Composition;

/// <summary>Builds the feature stores the options ask for, once, at start-up; a bad file stops the process.</summary>
internal static class FeatureStores
{
    /// <summary>Meridian's own collections: one GeoPackage per collection under DATA/features.</summary>
    public static GeoPackageDirectoryStore Embedded(MeridianOptions options, ILoggerFactory logging) =>
        new(Path.Combine(options.Data, "features"), logging.CreateLogger<GeoPackageDirectoryStore>());

    /// <summary>Where <c>meridian ingest</c> loads: PostGIS when a database is given, else the embedded store.</summary>
    public static IWritableFeatureStore Writable(MeridianOptions options, ILoggerFactory logging) =>
        PostGis(options, logging) ?? (IWritableFeatureStore)Embedded(options, logging);

    /// <summary>
    /// The stores whose collections are Meridian's to back up, in the catalog's precedence order: the embedded store, then
    /// PostGIS when there is one. Not --gpkg files: they are the user's own files, published in place.
    /// </summary>
    public static IReadOnlyList<IWritableFeatureStore> Owned(MeridianOptions options, ILoggerFactory logging) =>
        PostGis(options, logging) is { } postGis ? [Embedded(options, logging), postGis] : [Embedded(options, logging)];

    private static PostGisFeatureStore? PostGis(MeridianOptions options, ILoggerFactory logging)
    {
        if (string.IsNullOrWhiteSpace(options.PostGis.ConnectionString)) return null;
        try
        {
            return new PostGisFeatureStore(new PostGisStoreOptions
            {
                ConnectionString = options.PostGis.ConnectionString,
                Include = options.PostGis.Include,
                Exclude = options.PostGis.Exclude,
                MaxConnections = options.PostGis.MaxConnections,
            }, logging.CreateLogger<PostGisFeatureStore>());
        }
        catch (ArgumentException e)
        {
            throw new OptionsException([$"Meridian:PostGis:ConnectionString: {e.Message}"]);
        }
    }

    /// <summary>
    /// Registers the stores in precedence order: the embedded store, each --gpkg file, then PostGIS. They are
    /// built on first use with the host's logging; <see cref="MeridianHost"/> resolves them at start-up so that
    /// a bad file or connection string stops the process at once.
    /// </summary>
    public static void Register(IServiceCollection services, MeridianOptions options)
    {
        services.AddSingleton(sp => Embedded(options, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IFeatureStore>(sp => sp.GetRequiredService<GeoPackageDirectoryStore>());
        foreach (var file in options.GeoPackages)
        {
            services.AddSingleton<IFeatureStore>(sp =>
            {
                try
                {
                    return GeoPackageStore.Open(file, sp.GetRequiredService<ILogger<GeoPackageStore>>());
                }
                catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
                {
                    throw new OptionsException([$"Meridian:GeoPackages: {e.Message}"]);
                }
            });
        }
        var postGis = !string.IsNullOrWhiteSpace(options.PostGis.ConnectionString);
        if (postGis)
        {
            services.AddSingleton(sp => PostGis(options, sp.GetRequiredService<ILoggerFactory>())!);
            services.AddSingleton<IFeatureStore>(sp => sp.GetRequiredService<PostGisFeatureStore>());
        }
        // Collections created through the API go where `meridian ingest` loads: PostGIS when there is one.
        services.AddSingleton(sp => new CollectionHome(postGis
            ? sp.GetRequiredService<PostGisFeatureStore>()
            : sp.GetRequiredService<GeoPackageDirectoryStore>()));
    }
}
