using Xunit;

namespace Meridian.Testing;

/// <summary>An xUnit class fixture holding one <see cref="PostGisTestDatabase"/> for the tests of a class.</summary>
public class PostGisFixture : IAsyncLifetime
{
    private PostGisTestDatabase? _database;

    public PostGisTestDatabase Database => _database ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        _database = await PostGisTestDatabase.CreateAsync();
        await SeedAsync(_database);
    }

    /// <summary>Creates the tables the tests of a class share.</summary>
    protected virtual Task SeedAsync(PostGisTestDatabase database) => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }
}
