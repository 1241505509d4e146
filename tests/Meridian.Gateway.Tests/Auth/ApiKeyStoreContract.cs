using Meridian.Gateway.Auth;

namespace Meridian.Gateway.Tests.Auth;

/// <summary>One contract for both key store adapters.</summary>
public abstract class ApiKeyStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    protected IApiKeyStore Store { get; set; } = null!;

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task Add_ThenFindByHash_ReturnsTheRecord()
    {
        var (id, key) = ApiKeys.Generate();
        var record = new ApiKeyRecord(id, "acme", [Scopes.Read, Scopes.Write], "ci pipeline", Now, Now.AddDays(30), null);

        await Store.AddAsync(record, ApiKeys.Hash(key));
        var found = await Store.FindByHashAsync(ApiKeys.Hash(key));

        Assert.NotNull(found);
        Assert.Equal(record with { Scopes = found.Scopes }, found);
        Assert.Equal(record.Scopes, found.Scopes);
    }

    [Fact]
    public async Task FindByHash_UnknownOrPlainKey_FindsNothing()
    {
        var (id, key) = ApiKeys.Generate();
        await Store.AddAsync(new ApiKeyRecord(id, "acme", [Scopes.Read], null, Now, null, null), ApiKeys.Hash(key));

        Assert.Null(await Store.FindByHashAsync(ApiKeys.Hash(key + "x")));
        Assert.Null(await Store.FindByHashAsync(key));
    }

    [Fact]
    public async Task Revoke_MarksTheKeyOnce()
    {
        var (id, key) = ApiKeys.Generate();
        await Store.AddAsync(new ApiKeyRecord(id, "acme", [Scopes.Admin], null, Now, null, null), ApiKeys.Hash(key));

        Assert.True(await Store.RevokeAsync(id, Now.AddHours(1)));
        Assert.False(await Store.RevokeAsync(id, Now.AddHours(2)));
        Assert.False(await Store.RevokeAsync("no-such-id", Now));
        var revoked = await Store.FindByHashAsync(ApiKeys.Hash(key));
        Assert.Equal(Now.AddHours(1), revoked!.RevokedAt);
        Assert.False(revoked.IsActive(Now.AddHours(1)));
    }

    [Fact]
    public async Task List_ReturnsEveryKeyInCreationOrder()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (id, key) = ApiKeys.Generate();
            ids.Add(id);
            await Store.AddAsync(new ApiKeyRecord(id, "t" + i, [Scopes.Read], null, Now.AddMinutes(i), null, null), ApiKeys.Hash(key));
        }

        var listed = await Store.ListAsync();

        Assert.Equal(ids, listed.Select(k => k.Id));
    }

    [Fact]
    public async Task Expiry_IsKeptToTheMillisecond()
    {
        var (id, key) = ApiKeys.Generate();
        var expires = Now.AddMilliseconds(1234);
        await Store.AddAsync(new ApiKeyRecord(id, "acme", [Scopes.Read], null, Now, expires, null), ApiKeys.Hash(key));

        var found = await Store.FindByHashAsync(ApiKeys.Hash(key));

        Assert.True(found!.IsActive(expires.AddMilliseconds(-1)));
        Assert.False(found.IsActive(expires));
    }
}

public sealed class SqliteApiKeyStoreTests : ApiKeyStoreContract
{
    private readonly TempDirectory _directory = new();

    public override Task InitializeAsync()
    {
        Store = new SqliteApiKeyStore(Path.Combine(_directory.Path, "keys.db"));
        return Task.CompletedTask;
    }

    public override Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class PostgresApiKeyStoreTests : ApiKeyStoreContract
{
    private PostGisTestDatabase? _database;

    public override async Task InitializeAsync()
    {
        _database = await PostGisTestDatabase.CreateAsync();
        Store = new PostgresApiKeyStore(_database.ConnectionString);
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }
}
