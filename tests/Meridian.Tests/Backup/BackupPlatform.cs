using Meridian.Backup;
using Meridian.Gateway.Auth;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Configuration;
using Meridian.Storage;
using Meridian.Storage.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using NetTopologySuite.Geometries;

namespace Meridian.Tests.Backup;

/// <summary>
/// A deployment's stores as <c>meridian backup</c> and <c>restore</c> open them: a data directory, with PostGIS when a
/// connection string is given (then the collections' home) and an S3 bucket when one is named.
/// </summary>
internal sealed class BackupPlatform : IAsyncDisposable
{
    private readonly TempDirectory _data = new();
    private readonly BackupStores _stores;

    public BackupPlatform(string? postgres = null, string? bucket = null)
    {
        Options = new MeridianOptions { Data = _data.Path };
        Options.PostGis.ConnectionString = postgres;
        if (bucket is not null)
        {
            var s3 = S3TestBucket.Options(bucket);
            (Options.Objects.S3.Bucket, Options.Objects.S3.ServiceUrl, Options.Objects.S3.AccessKeyId, Options.Objects.S3.SecretAccessKey) =
                (bucket, s3.ServiceUrl, s3.AccessKeyId, s3.SecretAccessKey);
        }
        _stores = BackupStores.Open(Options);
        Keys = ApiKeyStores.Create(Options);
    }

    public MeridianOptions Options { get; }

    public string DataPath => _data.Path;

    /// <summary>Where collections are created and restored: PostGIS when there is one, else the embedded store.</summary>
    public IWritableFeatureStore Home => _stores.Features[^1];

    public IApiKeyStore Keys { get; }

    public ICollectionOwners Owners => (ICollectionOwners)Keys;

    public Storage.Objects.IObjectStore Objects => _stores.Objects;

    public List<string> Report { get; } = [];

    public async Task<IFeatureCollection?> FindAsync(string id) =>
        (await Home.GetCollectionsAsync(CancellationToken.None)).FirstOrDefault(c => c.Schema.Id == id);

    public async Task<IReadOnlyList<IFeatureCollection>> CollectionsAsync()
    {
        var all = new List<IFeatureCollection>();
        foreach (var store in _stores.Features) all.AddRange(await store.GetCollectionsAsync(CancellationToken.None));
        return all;
    }

    public async Task<BackupManifest> BackupAsync(string destination)
    {
        BackupManifest? manifest = null;
        var backup = new PlatformBackup(_stores.Features, _stores.Keys, _stores.Objects, Report.Add);
        await BackupLocation.Parse(destination, DateTimeOffset.UtcNow).WriteAsync(Options, async (stream, ct) => manifest = await backup.WriteAsync(stream, ct), CancellationToken.None);
        return manifest!;
    }

    public Task<RestorePlan> RestoreAsync(string archive, bool replace = false, bool dryRun = false)
    {
        var restore = new PlatformRestore(_stores.Features, _stores.Keys, _stores.Objects, Options.Cache, NullLoggerFactory.Instance, Report.Add);
        var location = BackupLocation.Parse(archive);
        return location.ReadAsync(Options, path => restore.RestoreAsync(path, location.ToString(), replace, dryRun, Options.Ingest.MaxCompressionRatio,
            CancellationToken.None), CancellationToken.None);
    }

    /// <summary>Every feature of a collection as stored: id, geometry, values.</summary>
    public static async Task<List<(string Id, Geometry? Geometry, object?[] Values)>> FeaturesAsync(IFeatureCollection collection)
    {
        var features = new List<(string, Geometry?, object?[])>();
        await using var reader = await ((IFeatureSnapshotSource)collection).ReadSnapshotAsync(CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
            features.Add((reader.Id, reader.ReadGeometry(), collection.Schema.Properties.Select((_, i) => reader.GetValue(i)).ToArray()));
        return features;
    }

    /// <summary>Whether nothing is stored: no collection, no key, no document (what a refused restore must leave).</summary>
    public async Task AssertEmptyAsync()
    {
        Assert.Empty(await CollectionsAsync());
        Assert.Empty(await Keys.ListAsync());
        Assert.Empty(await ListDocumentsAsync());
    }

    public async Task<List<string>> ListDocumentsAsync()
    {
        // Listed by folder: the local store lists no further up than a key's first segment.
        var keys = new List<string>();
        foreach (var folder in new[] { "notifications/", "workflows/" })
        {
            await foreach (var info in Objects.ListAsync(Storage.Objects.ObjectKey.ReservedArea + folder, CancellationToken.None)) keys.Add(info.Key.Value);
        }
        return keys;
    }

    public async ValueTask DisposeAsync()
    {
        await _stores.DisposeAsync();
        _data.Dispose();
    }
}

/// <summary>Sample collections with every property type, many-digit coordinates, heights, nulls and owners.</summary>
internal static class SampleData
{
    public static readonly CollectionSchema Places = new("places", "Places of note", "Capitals and towns", GeometryKind.Point, 4326, FeatureIdKind.Integer,
    [
        new PropertySchema("name", PropertyType.String, MaxLength: 80), new PropertySchema("population", PropertyType.Integer),
        new PropertySchema("area", PropertyType.Number), new PropertySchema("capital", PropertyType.Boolean),
        new PropertySchema("founded", PropertyType.Date), new PropertySchema("updated", PropertyType.DateTime),
    ], "updated");

    public static readonly CollectionSchema Zones = new("zones", "zones", null, GeometryKind.Polygon, 3857, FeatureIdKind.Integer,
        [new PropertySchema("label", PropertyType.String)], null);

    /// <summary>A collection whose every geometry has heights.</summary>
    public static readonly CollectionSchema Tracks = new("tracks", "tracks", null, GeometryKind.LineString, 4326, FeatureIdKind.Integer,
        [new PropertySchema("label", PropertyType.String)], null) { HasZ = true };

    /// <summary>Lines with many-digit heights, negative and fractional ones among them.</summary>
    public static IEnumerable<FeatureRecord> TrackFeatures()
    {
        var factory = Storage.Spatial.GeometryServices.Factory;
        for (var i = 1; i <= 4; i++)
        {
            var line = factory.CreateLineString(Enumerable.Range(0, 3)
                .Select(j => (Coordinate)new CoordinateZ(7.658612345678901 + i * 1e-3 + j * 1e-4, 45.976312345678901 - j * 1e-4, -412.123456789 + i * 1234.5678901 + j / 3.0))
                .ToArray());
            yield return new FeatureRecord(null, line, new Dictionary<string, object?> { ["label"] = "track " + i });
        }
    }

    /// <summary>Points; every seventh with a height when <paramref name="heights"/> (a 2D layer holding some heights, as older data directories may).</summary>
    public static IEnumerable<FeatureRecord> PlaceFeatures(bool heights, int count = 50)
    {
        var factory = Storage.Spatial.GeometryServices.Factory;
        for (var i = 1; i <= count; i++)
        {
            Geometry? geometry = i % 10 == 0 ? null
                : heights && i % 7 == 0 ? factory.CreatePoint(new CoordinateZ(13.404954123456789 + i * 1e-7, 52.520008987654321 - i * 1e-9, 34.56789 + i))
                : factory.CreatePoint(new Coordinate(-122.41941550000001 + i / 3.0, 37.774929499999999 + i / 7.0));
            yield return new FeatureRecord(i.ToString(System.Globalization.CultureInfo.InvariantCulture), geometry, new Dictionary<string, object?>
            {
                ["name"] = i % 5 == 0 ? null : $"Place \"{i}\" — ünïcødé",
                ["population"] = i % 6 == 0 ? null : (long)i * 1_000_003,
                ["area"] = i % 4 == 0 ? null : i / 3.0,
                ["capital"] = i % 3 == 0 ? null : i % 2 == 0,
                ["founded"] = i % 8 == 0 ? null : new DateOnly(1200 + i, 1 + i % 12, 1 + i % 28),
                ["updated"] = i % 9 == 0 ? null : new DateTimeOffset(2024, 1 + i % 12, 1 + i % 28, i % 24, i % 60, i % 60, i % 1000, TimeSpan.Zero),
            });
        }
    }

    public static IEnumerable<FeatureRecord> ZoneFeatures()
    {
        var factory = Storage.Spatial.GeometryServices.Factory;
        for (var i = 1; i <= 5; i++)
        {
            var (x, y) = (1_489_234.123456 + i * 1000, 6_894_323.987654 - i * 1000);
            var ring = factory.CreatePolygon([new(x, y), new(x + 500.25, y), new(x + 500.25, y + 250.5), new(x, y + 250.5), new(x, y)]);
            yield return new FeatureRecord(null, ring, new Dictionary<string, object?> { ["label"] = "zone " + i });
        }
    }

    public static async IAsyncEnumerable<FeatureRecord> Async(IEnumerable<FeatureRecord> features)
    {
        foreach (var feature in features)
        {
            await Task.Yield();
            yield return feature;
        }
    }

    /// <summary>Loads the samples, makes zones a tenant's, adds a key; returns the key.</summary>
    public static async Task<string> FillAsync(BackupPlatform platform, bool heights = false)
    {
        await platform.Home.LoadAsync(Places, Async(PlaceFeatures(heights)), CancellationToken.None);
        await platform.Home.LoadAsync(Zones, Async(ZoneFeatures()), CancellationToken.None);
        await platform.Owners.SetOwnerAsync("zones", "acme", CancellationToken.None);
        var (id, key) = ApiKeys.Generate();
        await platform.Keys.AddAsync(new ApiKeyRecord(id, "acme", [Scopes.Read, Scopes.Write], "ci", DateTimeOffset.UtcNow, null, null), ApiKeys.Hash(key));
        return key;
    }

    /// <summary>Asserts that two collections hold the same features: ids, geometries to the last digit and height, values.</summary>
    public static async Task AssertSameAsync(IFeatureCollection expected, IFeatureCollection actual, bool sameIds = true)
    {
        Assert.Equal(expected.Schema.GeometryType, actual.Schema.GeometryType);
        Assert.Equal(expected.Schema.StorageSrid, actual.Schema.StorageSrid);
        Assert.Equal(expected.Schema.Properties.Select(p => (p.Name, p.Type)), actual.Schema.Properties.Select(p => (p.Name, p.Type)));
        var (before, after) = (await BackupPlatform.FeaturesAsync(expected), await BackupPlatform.FeaturesAsync(actual));
        Assert.Equal(before.Count, after.Count);
        foreach (var (b, a) in before.Zip(after))
        {
            if (sameIds) Assert.Equal(b.Id, a.Id);
            Assert.Equal(b.Geometry is null, a.Geometry is null);
            if (b.Geometry is not null)
            {
                Assert.True(b.Geometry.EqualsExact(a.Geometry!), $"feature {b.Id}: {b.Geometry} became {a.Geometry}");
                Assert.Equal(b.Geometry.Coordinates.Select(c => c.Z), a.Geometry!.Coordinates.Select(c => c.Z));
            }
            Assert.Equal(b.Values, a.Values);
        }
    }
}
