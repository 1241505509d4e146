using Meridian.Storage.PostGis;
using Meridian.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Storage.Tests.Filtering;

/// <summary>The dataset's GeoPackage file itself, through SQLite and registered functions.</summary>
public sealed class GeoPackageCql2ConformanceTests() : Cql2ConformanceContract(Cql2Dataset.Open())
{
    // Infinity modulo n is NaN, which SQLite refuses to hold; PostgreSQL's numeric modulo never meets an infinity.
    [Fact]
    public async Task QueryAsync_InfinityModulo_IsNullNotAnError() =>
        Assert.Empty(await IdsAsync(Cql2Dataset.Places, "(pop_other * 1e308 * 10) % 2 >= 0 AND pop_other > 0"));
}

/// <summary>The dataset copied into a fresh PostGIS database once for the class.</summary>
public sealed class PostGisCql2DatasetFixture : IAsyncLifetime
{
    private PostGisTestDatabase? _database;
    private PostGisFeatureStore? _store;

    public PostGisFeatureStore Store => _store ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        _database = await PostGisTestDatabase.CreateAsync();
        _store = new PostGisFeatureStore(new PostGisStoreOptions { ConnectionString = _database.ConnectionString }, NullLogger<PostGisFeatureStore>.Instance);
        await Cql2Dataset.CopyToAsync(_store);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

/// <summary>The same cases in PostgreSQL: PostGIS relations on the GiST index, folding with translate().</summary>
public sealed class PostGisCql2ConformanceTests(PostGisCql2DatasetFixture fixture)
    : Cql2ConformanceContract(fixture.Store), IClassFixture<PostGisCql2DatasetFixture>;
