using Meridian.Backup;
using Meridian.Gateway.Auth;
using Meridian.Storage.Schema;

namespace Meridian.Tests.Backup;

/// <summary>
/// Backups restored into the same kind of store and into the other kind (GeoPackage to PostGIS and back): features,
/// geometries to the last digit, schema, CRS, owners, keys, workflows and subscriptions come back.
/// </summary>
public sealed class BackupRoundTripTests : IDisposable
{
    private readonly TempDirectory _archives = new();

    public void Dispose() => _archives.Dispose();

    private string Archive(string name = "backup.zip") => Path.Combine(_archives.Path, name);

    [Fact]
    public async Task EmbeddedToEmbedded_GivesBackFeaturesSchemaOwnersKeysAndDocuments()
    {
        await using var source = new BackupPlatform();
        var key = await SampleData.FillAsync(source, heights: true);
        await WriteDocumentsAsync(source);

        var manifest = await source.BackupAsync(Archive());
        await using var target = new BackupPlatform();
        var plan = await target.RestoreAsync(Archive());

        Assert.Empty(plan.Problems);
        Assert.Equal([("places", 50L), ("zones", 5L)], manifest.Collections.Select(c => (c.Id, c.Features)));
        foreach (var id in new[] { "places", "zones" })
        {
            var (before, after) = ((await source.FindAsync(id))!, (await target.FindAsync(id))!);
            await SampleData.AssertSameAsync(before, after);
            Assert.Equal(before.Schema.Title, after.Schema.Title);
            Assert.Equal(before.Schema.Description, after.Schema.Description);
        }
        Assert.Equal(80, (await target.FindAsync("places"))!.Schema.FindProperty("name")!.MaxLength);
        // Against what was written, not only against the source's snapshot: no digit or height lost on either side.
        var written = SampleData.PlaceFeatures(heights: true).ToList();
        var restored = await BackupPlatform.FeaturesAsync((await target.FindAsync("places"))!);
        Assert.Equal(written.Select(f => (f.Geometry?.Coordinate?.X, f.Geometry?.Coordinate?.Y, f.Geometry?.Coordinate?.Z)),
            restored.Select(f => (f.Geometry?.Coordinate?.X, f.Geometry?.Coordinate?.Y, f.Geometry?.Coordinate?.Z)));
        Assert.Equal(new Dictionary<string, string> { ["zones"] = "acme" }, await target.Owners.OwnersAsync(CancellationToken.None));
        await AssertKeyAuthenticatesAsync(target, key);
        Assert.Equal(
            [$".meridian/notifications/subscriptions/{new string('a', 32)}.json", ".meridian/workflows/definitions/nightly.json", ".meridian/workflows/owners/nightly.json"],
            await target.ListDocumentsAsync());
    }

    [Fact]
    public async Task GeoPackageToPostGisAndBack_KeepsGeometriesValuesCrsAndOwners()
    {
        await using var database = await PostGisTestDatabase.CreateAsync();
        await using var embedded = new BackupPlatform();
        var key = await SampleData.FillAsync(embedded);

        await embedded.BackupAsync(Archive("embedded.zip"));
        await using var distributed = new BackupPlatform(database.ConnectionString);
        Assert.Empty((await distributed.RestoreAsync(Archive("embedded.zip"))).Problems);
        await distributed.BackupAsync(Archive("distributed.zip"));
        await using var back = new BackupPlatform();
        Assert.Empty((await back.RestoreAsync(Archive("distributed.zip"))).Problems);

        foreach (var id in new[] { "places", "zones" })
        {
            var original = (await embedded.FindAsync(id))!;
            await SampleData.AssertSameAsync(original, (await distributed.FindAsync(id))!);
            await SampleData.AssertSameAsync(original, (await back.FindAsync(id))!);
        }
        Assert.Equal(3857, (await distributed.FindAsync("zones"))!.Schema.StorageSrid);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM geometry_columns WHERE f_table_name = 'zones' AND srid = 3857"));
        Assert.Equal("acme", (await distributed.Owners.OwnersAsync(CancellationToken.None))["zones"]);
        Assert.Equal("acme", (await back.Owners.OwnersAsync(CancellationToken.None))["zones"]);
        await AssertKeyAuthenticatesAsync(distributed, key);
        await AssertKeyAuthenticatesAsync(back, key);
    }

    [Fact]
    public async Task GeoPackageToPostGisAndBack_KeepsEveryHeight()
    {
        await using var database = await PostGisTestDatabase.CreateAsync();
        await using var embedded = new BackupPlatform();
        await embedded.Home.LoadAsync(SampleData.Tracks, SampleData.Async(SampleData.TrackFeatures()), CancellationToken.None);
        // Made as before schemas recorded heights: a 2D layer holding some points with heights, which PostGIS refused.
        await embedded.Home.LoadAsync(SampleData.Places, SampleData.Async(SampleData.PlaceFeatures(heights: true)), CancellationToken.None);

        var manifest = await embedded.BackupAsync(Archive("embedded.zip"));
        await using var distributed = new BackupPlatform(database.ConnectionString);
        Assert.Empty((await distributed.RestoreAsync(Archive("embedded.zip"))).Problems);
        await distributed.BackupAsync(Archive("distributed.zip"));
        await using var back = new BackupPlatform();
        Assert.Empty((await back.RestoreAsync(Archive("distributed.zip"))).Problems);

        Assert.True(manifest.Collections.Single(c => c.Id == "tracks").HasZ);
        var original = (await embedded.FindAsync("tracks"))!;
        await SampleData.AssertSameAsync(original, (await distributed.FindAsync("tracks"))!);
        await SampleData.AssertSameAsync(original, (await back.FindAsync("tracks"))!);
        Assert.True((await distributed.FindAsync("tracks"))!.Schema.HasZ);
        Assert.True((await back.FindAsync("tracks"))!.Schema.HasZ);
        Assert.Equal("LINESTRING 3", await database.ScalarAsync<string>("SELECT type || ' ' || coord_dimension FROM geometry_columns WHERE f_table_name = 'tracks'"));
        // The places with heights keep them to the last digit; those without get 0, as PostGIS gives a 3D column's 2D rows.
        var written = SampleData.PlaceFeatures(heights: true).Select(f => f.Geometry?.Coordinate).ToList();
        var restored = (await BackupPlatform.FeaturesAsync((await distributed.FindAsync("places"))!)).Select(f => f.Geometry?.Coordinate).ToList();
        Assert.Equal(written.Select(c => c is null ? (double?)null : double.IsNaN(c.Z) ? 0 : c.Z), restored.Select(c => c?.Z));
        Assert.Equal(written.Select(c => (c?.X, c?.Y)), restored.Select(c => (c?.X, c?.Y)));
    }

    [Fact]
    public async Task PostGisToPostGis_KeepsTextIdsOtherCrsAndNonFiniteNumbers()
    {
        await using var from = await PostGisTestDatabase.CreateAsync();
        await using var to = await PostGisTestDatabase.CreateAsync();
        await from.ExecuteAsync("""
            CREATE TABLE parcels (code text PRIMARY KEY, geom geometry(MultiPolygon, 25832), value double precision, note text);
            INSERT INTO parcels VALUES
              ('DE-1', ST_Multi(ST_MakeEnvelope(500000.123456789, 5800000.987654321, 500100.5, 5800100.25, 25832)), 'NaN', 'plain'),
              ('DE-2', ST_Multi(ST_MakeEnvelope(500200, 5800200, 500300, 5800300, 25832)), '-Infinity', NULL),
              ('DE-3', NULL, 1.0000000000000002, 'quote " and newline
            inside');
            """);
        await using var source = new BackupPlatform(from.ConnectionString);
        await using var target = new BackupPlatform(to.ConnectionString);

        await source.BackupAsync(Archive());
        Assert.Empty((await target.RestoreAsync(Archive())).Problems);

        var (before, after) = ((await source.FindAsync("parcels"))!, (await target.FindAsync("parcels"))!);
        Assert.Equal(FeatureIdKind.Text, after.Schema.IdKind);
        await SampleData.AssertSameAsync(before, after);
        Assert.Equal(["DE-1", "DE-2", "DE-3"], (await BackupPlatform.FeaturesAsync(after)).Select(f => f.Id));
    }

    [Fact]
    public async Task AnotherCrsThanTheEmbeddedStoreHolds_IsRefusedBeforeAnythingIsWritten()
    {
        await using var database = await PostGisTestDatabase.CreateAsync();
        await database.ExecuteAsync("""
            CREATE TABLE aaa (id bigint PRIMARY KEY, geom geometry(Point, 4326));
            INSERT INTO aaa VALUES (1, 'SRID=4326;POINT(1 2)');
            CREATE TABLE bbb (id bigint PRIMARY KEY, geom geometry(Point, 25832));
            INSERT INTO bbb VALUES (1, 'SRID=25832;POINT(500000 5800000)');
            """);
        await using var source = new BackupPlatform(database.ConnectionString);
        await source.BackupAsync(Archive());
        await using var target = new BackupPlatform();

        var plan = await target.RestoreAsync(Archive());

        Assert.Contains(plan.Problems, p => p.Contains("'bbb'") && p.Contains("EPSG:25832") && p.Contains("PostGIS"));
        await target.AssertEmptyAsync();
    }

    [Fact]
    public async Task ToS3AndBack_ThroughTheObjectStoreSettings()
    {
        var bucket = new S3TestBucket();
        await bucket.InitializeAsync();
        await using var source = new BackupPlatform(bucket: bucket.Name);
        await SampleData.FillAsync(source);
        await WriteDocumentsAsync(source);

        await source.BackupAsync($"s3://{bucket.Name}/backups/");
        var key = Assert.Single(await ListAsync(source, "backups/")).Key;
        Assert.Matches(@"^backups/meridian-backup-\d{8}T\d{6}Z\.zip$", key.Value);
        await using var target = new BackupPlatform(bucket: bucket.Name);
        // The same bucket: the documents exist there, and are replaced; the collections are new to this data directory.
        var refused = await target.RestoreAsync($"s3://{bucket.Name}/{key}");
        var plan = await target.RestoreAsync($"s3://{bucket.Name}/{key}", replace: true);

        Assert.Contains(refused.Problems, p => p.Contains("workflow 'nightly' exists"));
        Assert.Empty(plan.Problems);
        await SampleData.AssertSameAsync((await source.FindAsync("places"))!, (await target.FindAsync("places"))!);
        await bucket.DisposeAsync();
    }

    [Fact]
    public async Task DryRun_ListsWhatARestoreWouldDo_AndWritesNothing()
    {
        await using var source = new BackupPlatform();
        await SampleData.FillAsync(source);
        await WriteDocumentsAsync(source);
        await source.BackupAsync(Archive());
        await using var target = new BackupPlatform();

        var plan = await target.RestoreAsync(Archive(), dryRun: true);

        Assert.Equal(["places", "zones"], plan.Collections.Select(c => c.Collection.Id));
        Assert.Equal(3, plan.Documents.Count);
        Assert.Single(plan.Keys);
        await target.AssertEmptyAsync();
    }

    [Fact]
    public async Task ExistingCollection_IsRefusedWithoutReplace_AndReplacedWithIt()
    {
        await using var source = new BackupPlatform();
        await SampleData.FillAsync(source);
        await source.BackupAsync(Archive());
        await using var target = new BackupPlatform();
        await target.Home.LoadAsync(SampleData.Places, SampleData.Async(SampleData.PlaceFeatures(false, count: 3)), CancellationToken.None);

        var refused = await target.RestoreAsync(Archive());
        var afterRefusal = await BackupPlatform.FeaturesAsync((await target.FindAsync("places"))!);
        var zonesAfterRefusal = await target.FindAsync("zones");
        var replaced = await target.RestoreAsync(Archive(), replace: true);

        Assert.Contains("collection 'places' exists; --replace replaces it", refused.Problems);
        Assert.Equal(3, afterRefusal.Count);
        Assert.Null(zonesAfterRefusal);
        Assert.Empty(replaced.Problems);
        await SampleData.AssertSameAsync((await source.FindAsync("places"))!, (await target.FindAsync("places"))!);
    }

    [Fact]
    public async Task RevokedSinceTheBackup_StaysRevoked()
    {
        await using var platform = new BackupPlatform();
        var key = await SampleData.FillAsync(platform);
        await platform.BackupAsync(Archive());
        var record = await platform.Keys.FindByHashAsync(ApiKeys.Hash(key));
        await platform.Keys.RevokeAsync(record!.Id, DateTimeOffset.UtcNow);

        await platform.RestoreAsync(Archive(), replace: true);

        Assert.False((await platform.Keys.FindByHashAsync(ApiKeys.Hash(key)))!.IsActive(DateTimeOffset.UtcNow));
    }

    private static async Task AssertKeyAuthenticatesAsync(BackupPlatform platform, string key)
    {
        var record = await platform.Keys.FindByHashAsync(ApiKeys.Hash(key));
        Assert.NotNull(record);
        Assert.True(record.IsActive(DateTimeOffset.UtcNow));
        Assert.Equal("acme", record.Tenant);
        Assert.Equal([Scopes.Read, Scopes.Write], record.Scopes);
    }

    /// <summary>A workflow definition with its owner and a subscription, as the processing engine stores them.</summary>
    private static async Task WriteDocumentsAsync(BackupPlatform platform)
    {
        var documents = new Processing.ReservedDocuments(platform.Objects);
        await documents.WriteAsync(Processing.ReservedDocuments.Key("workflows/definitions/nightly.json"),
            new { name = "nightly", startAt = "a", states = new { a = new { type = "Succeed" } } }, BackupManifest.Json, CancellationToken.None);
        await documents.WriteAsync(Processing.ReservedDocuments.Key("workflows/owners/nightly.json"), new { tenant = "acme" }, BackupManifest.Json, CancellationToken.None);
        await documents.WriteAsync(Processing.ReservedDocuments.Key($"notifications/subscriptions/{new string('a', 32)}.json"),
            new { id = new string('a', 32), url = "https://example.com/hook", secret = "s3cret" }, BackupManifest.Json, CancellationToken.None);
        // In flight: not platform state, not backed up.
        await documents.WriteAsync(Processing.ReservedDocuments.Key($"notifications/queue/{new string('a', 32)}/1.json"), new { }, BackupManifest.Json, CancellationToken.None);
    }

    private static async Task<List<Storage.Objects.ObjectInfo>> ListAsync(BackupPlatform platform, string prefix)
    {
        using var bucket = global::Meridian.Composition.ObjectStores.S3(platform.Options, platform.Options.Objects.S3.Bucket!);
        var objects = new List<Storage.Objects.ObjectInfo>();
        await foreach (var info in bucket.ListAsync(prefix, CancellationToken.None)) objects.Add(info);
        return objects;
    }
}
