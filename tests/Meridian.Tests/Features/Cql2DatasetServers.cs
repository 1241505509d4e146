using Meridian.Storage;
using Meridian.Storage.GeoPackage;
using Meridian.Storage.PostGis;
using Meridian.Storage.Querying;
using Meridian.Tests.Composition;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Tests.Features;

/// <summary>
/// A running Meridian serving the OGC CQL2 test dataset (177 countries, 243 places, 13 rivers). The same
/// HTTP tests run against each store, so both adapters answer the API identically.
/// </summary>
public abstract class Cql2DatasetServer : IAsyncLifetime
{
    public const string Countries = "ne_110m_admin_0_countries";
    public const string Places = "ne_110m_populated_places_simple";
    public const string Rivers = "ne_110m_rivers_lake_centerlines";

    protected static string DatasetPath => TestData.Path("naturalearth/cql2/ne110m4cql2.gpkg");

    protected TempDirectory DataDirectory { get; } = new();

    public MeridianServer Server { get; private set; } = null!;

    private bool Started => Server is not null;

    public HttpClient Client => Server.Client;

    protected abstract Task<Dictionary<string, string?>> SettingsAsync();

    public async Task InitializeAsync()
    {
        var settings = await SettingsAsync();
        settings["Meridian:Data"] = DataDirectory.Path;
        Server = await MeridianServer.StartAsync(settings);
    }

    public virtual async Task DisposeAsync()
    {
        if (Started) await Server.DisposeAsync();
        DataDirectory.Dispose();
    }
}

/// <summary>The dataset published in place from its GeoPackage file (--gpkg).</summary>
public sealed class GeoPackageCql2Server : Cql2DatasetServer
{
    protected override Task<Dictionary<string, string?>> SettingsAsync() =>
        Task.FromResult(new Dictionary<string, string?> { ["Meridian:GeoPackages:0"] = DatasetPath });
}

/// <summary>The dataset copied through the store port into a fresh PostGIS database (--postgres).</summary>
public sealed class PostGisCql2Server : Cql2DatasetServer
{
    private PostGisTestDatabase? _database;

    protected override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        _database = await PostGisTestDatabase.CreateAsync();
        var source = GeoPackageStore.Open(DatasetPath, NullLogger.Instance);
        await using var target = new PostGisFeatureStore(new PostGisStoreOptions { ConnectionString = _database.ConnectionString },
            NullLogger<PostGisFeatureStore>.Instance);
        foreach (var collection in await source.GetCollectionsAsync(CancellationToken.None))
            await target.LoadAsync(collection.Schema, ReadAll(collection), CancellationToken.None);
        return new Dictionary<string, string?>
        {
            ["Meridian:PostGis:ConnectionString"] = _database.ConnectionString,
            // One connection: a request that needed two at once (a page and its count) would hang here.
            ["Meridian:PostGis:MaxConnections"] = "1",
        };
    }

    private static async IAsyncEnumerable<FeatureRecord> ReadAll(IFeatureCollection collection)
    {
        await using var reader = await collection.QueryAsync(new FeatureQuery { Limit = 100_000 }, CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            var values = collection.Schema.Properties.Select((p, i) => KeyValuePair.Create(p.Name, reader.GetValue(i))).ToDictionary();
            yield return new FeatureRecord(reader.Id, reader.ReadGeometry(), values);
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}
