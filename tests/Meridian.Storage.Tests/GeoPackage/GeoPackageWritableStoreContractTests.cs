using Meridian.Storage.GeoPackage;
using Meridian.Storage.Tests.Writing;
using Meridian.Storage.Writing;
using Meridian.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Storage.Tests.GeoPackage;

public sealed class GeoPackageWritableStoreContractTests(TempDirectory directory)
    : WritableFeatureStoreContract(new GeoPackageDirectoryStore(directory.Path, NullLogger.Instance)), IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Writes_RecordTheirTimeInGpkgContents()
    {
        var collection = await CreateAsync();
        var path = Path.Combine(directory.Path, collection.Schema.Id + ".gpkg");
        const string Old = "2000-01-01T00:00:00.000Z";
        await ContentsAsync(path, collection.Schema.Id, $"UPDATE gpkg_contents SET last_change = '{Old}' WHERE table_name = $t");

        await collection.InsertAsync(TestPlaces.All[0], WriteHooks.None, CancellationToken.None);

        var changed = await ContentsAsync(path, collection.Schema.Id, "SELECT last_change FROM gpkg_contents WHERE table_name = $t");
        Assert.True(string.CompareOrdinal((string)changed!, Old) > 0);
    }

    private static async Task<object?> ContentsAsync(string path, string table, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$t", table);
        return await command.ExecuteScalarAsync();
    }
}
