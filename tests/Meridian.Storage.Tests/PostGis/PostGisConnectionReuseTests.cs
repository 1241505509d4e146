using Meridian.Features.Cql2;
using Meridian.Storage.Filtering;
using Meridian.Storage.PostGis;
using Meridian.Storage.Querying;
using Meridian.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Meridian.Storage.Tests.PostGis;

/// <summary>
/// A statement that fails on the server must not poison the pooled connection it ran on (npgsql/npgsql#6391). Minimal
/// trigger, found with a pool of one connection: Npgsql auto-prepares a statement text on its fifth use on a connection
/// (Parse, Describe, Bind and Execute in one round trip); when that fifth use fails in Bind — PostgreSQL plans with the
/// parameters' values and folds an expression of literals, so the float8 overflow of <c>1e308 / 1e-308</c> is raised
/// while planning — the next use of the same text with the same parameter types fails with "Received unexpected backend
/// message DataRow" (a 500), in a transaction (a page and its count, rolled back) or not. A failure while the rows are
/// evaluated (in Execute, before or after rows were sent: <c>1e307 * count</c>) does not poison the connection, nor does
/// the rollback by itself, nor a later use with other parameter types (Npgsql runs those unprepared). The fix
/// (PostGisSession) makes a connection forget its prepared statements after any server error; these tests run the
/// trigger and then the same statement again, and fail without the fix.
/// </summary>
public sealed class PostGisConnectionReuseTests(PostGisConnectionReuseTests.Tables fixture)
    : IClassFixture<PostGisConnectionReuseTests.Tables>, IAsyncLifetime
{
    public sealed class Tables : PostGisFixture
    {
        protected override Task SeedAsync(PostGisTestDatabase database) => database.ExecuteAsync("""
            CREATE TABLE things (id integer PRIMARY KEY, count integer, geom geometry(Point, 4326));
            INSERT INTO things SELECT i, i * 10, ST_SetSRID(ST_MakePoint(i, i), 4326) FROM generate_series(1, 20) AS i;
            """);
    }

    private static readonly CancellationToken None = CancellationToken.None;
    // The use on which Npgsql prepares a statement text (its default Auto Prepare Min Usages).
    private const int PreparingUse = 5;
    private PostGisFeatureStore _store = null!;

    public Task InitializeAsync()
    {
        // One connection: every statement after the failing one runs on the connection it failed on.
        var connectionString = new NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString) { MaxPoolSize = 1 }.ConnectionString;
        _store = new PostGisFeatureStore(new PostGisStoreOptions { ConnectionString = connectionString }, NullLogger<PostGisFeatureStore>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static FeatureQuery Where(IFeatureCollection collection, string cql2, bool countMatches) => new()
    {
        Filter = new Cql2Binder(collection.Schema, new Cql2BinderOptions { GeometryAliases = [collection.Schema.GeometryName] })
            .Bind(Cql2TextParser.Parse(cql2)),
        Limit = 100,
        CountMatches = countMatches,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // numberMatched: the page and its count in one REPEATABLE READ transaction, rolled back
    public async Task QueryAsync_AfterAFilterFailsAsItIsPrepared_TheSameFilterTextAnswersOnThatConnection(bool countMatches)
    {
        var things = await _store.CollectionAsync("things");
        // One statement text: the literals are parameters, float8 both times.
        var valid = Where(things, "(2.5 / 1.5) > 0", countMatches);
        var overflowing = Where(things, "(1e308 / 1e-308) > 0", countMatches);

        for (var use = 1; use < PreparingUse; use++) Assert.Equal(20, (await things.IdsAsync(valid)).Count);
        var error = await Assert.ThrowsAsync<FilterException>(() => things.IdsAsync(overflowing));
        Assert.Contains("out of range", error.Message, StringComparison.Ordinal);

        for (var use = 0; use < 3; use++)
        {
            await using var reader = await things.QueryAsync(valid, None);
            var read = 0;
            while (await reader.ReadAsync(None)) read++;
            Assert.Equal(20, read);
            Assert.Equal(countMatches ? 20 : null, await reader.CountMatchedAsync(None));
        }
    }

    [Fact]
    public async Task CountAsync_AfterAFilterFailsAsItIsPrepared_TheSameFilterTextCountsOnThatConnection()
    {
        var things = await _store.CollectionAsync("things");
        var valid = Where(things, "(2.5 / 1.5) > 0", countMatches: false);
        var overflowing = Where(things, "(1e308 / 1e-308) > 0", countMatches: false);

        for (var use = 1; use < PreparingUse; use++) Assert.Equal(20, await things.CountAsync(valid, None));
        await Assert.ThrowsAsync<FilterException>(() => things.CountAsync(overflowing, None));

        for (var use = 0; use < 3; use++) Assert.Equal(20, await things.CountAsync(valid, None));
    }
}
