using System.Net.Http.Headers;
using System.Text;
using Meridian.Tests.Composition;

namespace Meridian.Tests.Features;

/// <summary>A running Meridian that accepts writes with <see cref="Key"/>, over one store.</summary>
public abstract class TransactionsServer : IAsyncLifetime
{
    public const string Key = "meridian-test-key-0123456789";

    private TempDirectory DataDirectory { get; } = new();

    /// <summary>The embedded store's directory: collections it holds are DATA/features/ID.gpkg.</summary>
    public string DataPath => DataDirectory.Path;

    private MeridianServer? _server;

    public HttpClient Client => (_server ?? throw new InvalidOperationException("The server is not started.")).Client;

    protected virtual Task<Dictionary<string, string?>> SettingsAsync() => Task.FromResult(new Dictionary<string, string?>());

    public async Task InitializeAsync()
    {
        var settings = await SettingsAsync();
        settings["Meridian:Data"] = DataDirectory.Path;
        settings["Meridian:Security:ApiKeys:0"] = Key;
        _server = await MeridianServer.StartAsync(settings);
    }

    public virtual async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        DataDirectory.Dispose();
    }

    /// <summary>A request with a JSON body (or none), the write key unless told otherwise, and any extra headers.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string url, string? body = null, string contentType = "application/geo+json",
        string? key = Key, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(contentType));
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }
}

/// <summary>Writes go to the embedded store (a GeoPackage per collection).</summary>
public sealed class EmbeddedTransactionsServer : TransactionsServer;

/// <summary>Writes go to PostGIS, where collections created through the API live when a database is configured.</summary>
public sealed class PostGisTransactionsServer : TransactionsServer
{
    private PostGisTestDatabase? _database;

    protected override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        _database = await PostGisTestDatabase.CreateAsync();
        return new Dictionary<string, string?> { ["Meridian:PostGis:ConnectionString"] = _database.ConnectionString };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

public sealed class EmbeddedTransactionsHttpTests(EmbeddedTransactionsServer server)
    : TransactionsHttpContract(server), IClassFixture<EmbeddedTransactionsServer>;

public sealed class PostGisTransactionsHttpTests(PostGisTransactionsServer server)
    : TransactionsHttpContract(server), IClassFixture<PostGisTransactionsServer>;
