using System.Runtime.CompilerServices;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Meridian.Storage.Writing;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Tests.Writing;

/// <summary>
/// Bulk loads through the port, in each mode: a complete load commits as a whole; a load that fails or is
/// cancelled part-way leaves the collection exactly as it was (or absent); a replacement is seen whole or not at all.
/// </summary>
public abstract partial class WritableFeatureStoreContract
{
    private static readonly IReadOnlyList<PropertySchema> Other = [new("code", PropertyType.String), new("rank", PropertyType.Number)];

    private static CollectionSchema LoadSchema(string id, IReadOnlyList<PropertySchema> properties) =>
        new(id, id, null, GeometryKind.Point, GeometryServices.Crs84Srid, FeatureIdKind.Integer, properties, null);

    private static string NewId() => "l" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Features at (i, i) with a code and rank; <paramref name="failAt"/> makes the stream throw instead of yielding that one.</summary>
    private static async IAsyncEnumerable<FeatureRecord> Coded(int count, int? failAt = null, Func<int, Task>? before = null, string prefix = "c",
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 1; i <= count; i++)
        {
            if (before is not null) await before(i);
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            if (i == failAt) throw new InvalidDataException($"record {i} is bad");
            yield return new FeatureRecord(null, Point(i, i), new Dictionary<string, object?> { ["code"] = prefix + i, ["rank"] = i / 2.0 });
        }
    }

    private static async IAsyncEnumerable<FeatureRecord> AsStream(IEnumerable<FeatureRecord> features)
    {
        foreach (var feature in features)
        {
            await Task.Yield();
            yield return feature;
        }
    }

    /// <summary>The collection as readers see it: its property names and its features' first property, in id order.</summary>
    private async Task<(List<string> Properties, List<object?> Values)?> SnapshotAsync(string id)
    {
        if ((await store.GetCollectionsAsync(None)).SingleOrDefault(c => c.Schema.Id == id) is not { } collection) return null;
        var values = new List<object?>();
        await using var reader = await collection.QueryAsync(new FeatureQuery { Limit = 10_000 }, None);
        while (await reader.ReadAsync(None)) values.Add(reader.GetValue(0));
        return (collection.Schema.Properties.Select(p => p.Name).ToList(), values);
    }

    private async Task<string> LoadPlacesAsync()
    {
        var id = NewId();
        Assert.Equal(6, await store.LoadAsync(LoadSchema(id, TestPlaces.Properties), AsStream(TestPlaces.All), None));
        return id;
    }

    [Fact]
    public async Task ReplaceAsync_SwapsFeaturesAndSchema_WithTheSpatialIndexRight()
    {
        var id = await LoadPlacesAsync();

        var loaded = await store.ReplaceAsync(LoadSchema(id, Other), Coded(3), None);

        Assert.Equal(3, loaded);
        var collection = (await store.GetCollectionsAsync(None)).Single(c => c.Schema.Id == id);
        Assert.Equal(["code", "rank"], collection.Schema.Properties.Select(p => p.Name));
        Assert.Equal(["c1", "c2", "c3"], (await SnapshotAsync(id))!.Value.Values);
        Assert.Equal(3, await collection.CountAsync(new FeatureQuery(), None));
        // Paris was at (2.35, 48.85): gone from the index; feature 2 at (2, 2) is found by it.
        Assert.Equal(0, await collection.CountAsync(new FeatureQuery { BoundingBoxes = [new Envelope(2, 3, 48, 49)] }, None));
        Assert.Equal(1, await collection.CountAsync(new FeatureQuery { BoundingBoxes = [new Envelope(1.5, 2.5, 1.5, 2.5)] }, None));
        Assert.Equal(new Envelope(1, 3, 1, 3), await collection.GetExtentAsync(None));
        Assert.DoesNotContain(await store.GetCollectionsAsync(None), c => c.Schema.Id.Contains("staging", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ReplaceAsync_Twice_ThenWrites_KeepWorking()
    {
        var id = await LoadPlacesAsync();
        await store.ReplaceAsync(LoadSchema(id, Other), Coded(2), None);

        await store.ReplaceAsync(LoadSchema(id, Other), Coded(4), None);
        var collection = Assert.IsAssignableFrom<IWritableFeatureCollection>((await store.GetCollectionsAsync(None)).Single(c => c.Schema.Id == id));
        var inserted = await collection.InsertAsync(new FeatureRecord(null, Point(50, 50), new Dictionary<string, object?> { ["code"] = "new" }), WriteHooks.None, None);

        Assert.Equal(["c1", "c2", "c3", "c4", "new"], (await SnapshotAsync(id))!.Value.Values);
        Assert.Equal(1, await collection.CountAsync(new FeatureQuery { BoundingBoxes = [new Envelope(49, 51, 49, 51)] }, None));
        Assert.DoesNotContain(inserted, new[] { "1", "2", "3", "4" });
    }

    [Fact]
    public async Task ReplaceAsync_MissingCollection_CreatesIt()
    {
        var id = NewId();

        await store.ReplaceAsync(LoadSchema(id, Other), Coded(2), None);

        Assert.Equal(["c1", "c2"], (await SnapshotAsync(id))!.Value.Values);
    }

    [Fact]
    public async Task ReplaceAsync_ReadersSeeTheOldFeaturesUntilTheLoadIsComplete()
    {
        var id = await LoadPlacesAsync();
        var before = await SnapshotAsync(id);
        var seenDuringLoad = new List<(List<string>, List<object?>)?>();

        await store.ReplaceAsync(LoadSchema(id, Other), Coded(3, before: async i =>
        {
            if (i == 3) seenDuringLoad.Add(await SnapshotAsync(id));
        }), None);

        var during = Assert.Single(seenDuringLoad);
        Assert.Equal(before!.Value.Properties, during!.Value.Item1);
        Assert.Equal(before.Value.Values, during.Value.Item2);
    }

    // numberMatched used to come from a count query of its own after the page: a replace committing in between gave a
    // page of one version of the collection and the count of the next.
    [Fact]
    public async Task ReplaceAsync_InALoop_NeverMakesAPageAndItsCountDisagree()
    {
        var id = NewId();
        // Two versions told apart by their codes: a1…a3 and b1…b7. A page of 2 is full in both, so its count is a query.
        var versions = new Dictionary<char, int> { ['a'] = 3, ['b'] = 7 };
        await store.ReplaceAsync(LoadSchema(id, Other), Coded(versions['a'], prefix: "a"), None);
        using var stop = new CancellationTokenSource();
        var replacements = 0;
        var replacing = Task.Run(async () =>
        {
            for (; !stop.IsCancellationRequested; replacements++)
            {
                var version = replacements % 2 == 0 ? 'b' : 'a';
                await store.ReplaceAsync(LoadSchema(id, Other), Coded(versions[version], prefix: version.ToString()), None);
            }
        });
        var pages = new Dictionary<char, int> { ['a'] = 0, ['b'] = 0 };
        // Discovered once: a replacement with the same columns leaves the collection as it was described.
        var collection = (await store.GetCollectionsAsync(None)).Single(c => c.Schema.Id == id);
        try
        {
            for (var i = 0; i < 300 || (pages['a'] == 0 || pages['b'] == 0) && i < 3000; i++)
            {
                await using var reader = await collection.QueryAsync(new FeatureQuery { Limit = 2, CountMatches = true }, None);
                var codes = new List<string>();
                while (await reader.ReadAsync(None)) codes.Add((string)reader.GetValue(0)!);
                var matched = await reader.CountMatchedAsync(None);

                var version = codes[0][0];
                Assert.Equal([$"{version}1", $"{version}2", $"{version}3"], codes);
                Assert.Equal(versions[version], matched);
                pages[version]++;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await replacing;
        }
        Assert.True(replacements > 1, $"only {replacements} replacements ran while the pages were read");
    }

    public static TheoryData<string> Modes => ["create", "append", "replace"];

    private Task<long> LoadInModeAsync(string mode, string id, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken)
    {
        var schema = LoadSchema(id, mode == "append" ? TestPlaces.Properties : Other);
        return mode == "replace" ? store.ReplaceAsync(schema, features, cancellationToken) : store.LoadAsync(schema, features, cancellationToken);
    }

    /// <summary>The collection a failing load of this mode targets: none for create, the places otherwise.</summary>
    private async Task<string> TargetForAsync(string mode) => mode == "create" ? NewId() : await LoadPlacesAsync();

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_load_failing_part_way_leaves_the_collection_as_it_was(string mode)
    {
        var id = await TargetForAsync(mode);
        var before = await SnapshotAsync(id);
        var features = mode == "append"
            ? AsStream([.. TestPlaces.All.Take(3), new FeatureRecord(null, Point(1, 1), new Dictionary<string, object?> { ["population"] = "many" })])
            : Coded(50, failAt: 40);

        await Assert.ThrowsAnyAsync<Exception>(() => LoadInModeAsync(mode, id, features, None));

        Assert.Equal(before, await SnapshotAsync(id), SnapshotComparer.Instance);
        Assert.DoesNotContain(await store.GetCollectionsAsync(None), c => c.Schema.Id.Contains("staging", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_load_cancelled_part_way_leaves_the_collection_as_it_was(string mode)
    {
        var id = await TargetForAsync(mode);
        var before = await SnapshotAsync(id);
        using var cancel = new CancellationTokenSource();
        var features = mode == "append"
            ? CancelAfter(AsStream(TestPlaces.All.Take(5)), 3, cancel)
            : CancelAfter(Coded(50), 20, cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => LoadInModeAsync(mode, id, features, cancel.Token));

        Assert.Equal(before, await SnapshotAsync(id), SnapshotComparer.Instance);
    }

    private static async IAsyncEnumerable<FeatureRecord> CancelAfter(IAsyncEnumerable<FeatureRecord> features, int count, CancellationTokenSource cancel,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var yielded = 0;
        await foreach (var feature in features)
        {
            if (++yielded > count) await cancel.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            yield return feature;
        }
    }

    private sealed class SnapshotComparer : IEqualityComparer<(List<string> Properties, List<object?> Values)?>
    {
        public static readonly SnapshotComparer Instance = new();

        public bool Equals((List<string> Properties, List<object?> Values)? x, (List<string> Properties, List<object?> Values)? y) =>
            x is null || y is null
                ? x is null && y is null
                : x.Value.Properties.SequenceEqual(y.Value.Properties) && x.Value.Values.SequenceEqual(y.Value.Values);

        public int GetHashCode((List<string> Properties, List<object?> Values)? obj) => obj?.Values.Count ?? 0;
    }
}
