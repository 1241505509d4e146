using Meridian.Storage.GeoPackage;
using Meridian.Storage.PostGis;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Tests.Cli;

/// <summary><c>meridian ingest</c> as a user runs it, into the embedded store and into PostGIS.</summary>
public sealed class IngestCommandTests
{
    private static async Task<IReadOnlyList<Meridian.Storage.IFeatureCollection>> EmbeddedCollectionsAsync(string data) =>
        await new GeoPackageDirectoryStore(Path.Combine(data, "features"), NullLogger.Instance).GetCollectionsAsync(CancellationToken.None);

    [Fact]
    public async Task Ingest_GeoJson_CreatesACollectionGdalCanOpen()
    {
        using var data = new TempDirectory();

        var result = await MeridianProcess.RunAsync(["ingest", TestData.Path("naturalearth/ne_110m_admin_0_countries.geojson"), "--collection", "countries", "--data", data.Path]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("loaded 177 of 177 records", result.Error);
        var collection = Assert.Single(await EmbeddedCollectionsAsync(data.Path));
        Assert.Equal(177, await collection.CountAsync(new(), CancellationToken.None));
        var ogr = await Clients.ExternalProcess.RunAsync("ogrinfo", ["-ro", "-so", Path.Combine(data.Path, "features", "countries.gpkg"), "countries"], TimeSpan.FromMinutes(1));
        Assert.Contains("Feature Count: 177", ogr.Output);
    }

    [Fact]
    public async Task Ingest_Twice_Appends()
    {
        using var data = new TempDirectory();
        string[] args = ["ingest", TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"), "--collection", "rivers", "--data", data.Path];

        await MeridianProcess.RunAsync(args);
        var second = await MeridianProcess.RunAsync([.. args, "--mode", "append"]);

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(26, await Assert.Single(await EmbeddedCollectionsAsync(data.Path)).CountAsync(new(), CancellationToken.None));
    }

    [Theory]
    [InlineData("broken/truncated_mid_coordinate.geojson")]
    [InlineData("broken/empty_zero_bytes.geojson")]
    [InlineData("broken/whitespace_only.geojson")]
    [InlineData("broken/not_json_html_error_page.geojson")]
    [InlineData("broken/wrong_type_member_typo.geojson")]
    [InlineData("broken/deeply_nested_arrays_100000.geojson")]
    [InlineData("broken/nonfinite_nan_infinity_coordinates.geojson")]
    [InlineData("broken/feature_missing_geometry_member.geojson")]
    public async Task Ingest_BrokenFile_FailsClearlyAndLeavesNothing(string file)
    {
        using var data = new TempDirectory();

        var result = await MeridianProcess.RunAsync(["ingest", TestData.Path(file), "--collection", "broken", "--data", data.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nothing was loaded", result.Error);
        Assert.DoesNotContain("   at ", result.Error); // a message, not a stack trace
        Assert.Empty(await EmbeddedCollectionsAsync(data.Path));
        Assert.False(File.Exists(Path.Combine(data.Path, "features", "broken.gpkg")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task Ingest_UnsafeCollectionName_IsRefused(string name)
    {
        using var data = new TempDirectory();

        var result = await MeridianProcess.RunAsync(["ingest", TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"), "--collection", name, "--data", data.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(data.Path, "*", SearchOption.AllDirectories), p => p.EndsWith(".gpkg"));
    }

    [Fact]
    public async Task Ingest_IntoPostGis_LoadsEveryFeature()
    {
        await using var database = await PostGisTestDatabase.CreateAsync();

        var result = await MeridianProcess.RunAsync(["ingest", TestData.Path("naturalearth/ne_10m_airports.geojson"), "--collection", "airports", "--postgres", database.ConnectionString]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(891L, await database.ScalarAsync<long>("SELECT count(*) FROM airports"));
        await using var store = new PostGisFeatureStore(new PostGisStoreOptions { ConnectionString = database.ConnectionString }, NullLogger<PostGisFeatureStore>.Instance);
        var collection = Assert.Single(await store.GetCollectionsAsync(CancellationToken.None));
        Assert.Equal(Meridian.Storage.Schema.GeometryKind.Point, collection.Schema.GeometryType);
    }
}
