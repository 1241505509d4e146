using Meridian.Storage.PostGis;
using Meridian.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Storage.Tests.PostGis;

/// <summary>One database and one store for the whole contract suite, as a host would share them.</summary>
public sealed class PostGisStoreFixture : IAsyncLifetime
{
    private PostGisTestDatabase? _database;
    private PostGisFeatureStore? _store;

    public PostGisFeatureStore Store => _store ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        _database = await PostGisTestDatabase.CreateAsync();
        _store = new PostGisFeatureStore(new PostGisStoreOptions { ConnectionString = _database.ConnectionString }, NullLogger<PostGisFeatureStore>.Instance);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

public sealed class PostGisFeatureStoreContractTests(PostGisStoreFixture fixture)
    : FeatureStoreContract(fixture.Store), IClassFixture<PostGisStoreFixture>;
