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
    public const string Countries = Cql2Dataset.Countries;
    public const string Places = Cql2Dataset.Places;
    public const string Rivers = Cql2Dataset.Rivers;

    protected static string DatasetPath => Cql2Dataset.FilePath;

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
        await using (var target = new PostGisFeatureStore(new PostGisStoreOptions { ConnectionString = _database.ConnectionString },
            NullLogger<PostGisFeatureStore>.Instance))
            await Cql2Dataset.CopyToAsync(target);
        return new Dictionary<string, string?>
        {
            ["Meridian:PostGis:ConnectionString"] = _database.ConnectionString,
            // One connection: a request that needed two at once (a page and its count) would hang here.
            ["Meridian:PostGis:MaxConnections"] = "1",
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}
