using System.Runtime.CompilerServices;
using Meridian.Storage.GeoPackage;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Microsoft.Extensions.Logging.Abstractions;
using Meridian.Testing;

namespace Meridian.Storage.Tests.GeoPackage;

public sealed class GeoPackageDirectoryStoreContractTests(TempDirectory directory)
    : FeatureStoreContract(new GeoPackageDirectoryStore(directory.Path, NullLogger.Instance)), IClassFixture<TempDirectory>;

public sealed class GeoPackageDirectoryStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_collection_whose_first_load_is_still_running_is_not_listed_and_the_listing_still_works()
    {
        var store = new GeoPackageDirectoryStore(_directory.Path, NullLogger.Instance);
        await LoadAsync(store, "earlier", Records(TestPlaces.All));
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The new collection's file exists from the load's first statement; its tables only when the load commits.
        var load = LoadAsync(store, "loading", PausedHalfway(halfway, resume));
        await halfway.Task;
        List<string> listed;
        try
        {
            listed = (await store.GetCollectionsAsync(CancellationToken.None)).Select(c => c.Schema.Id).ToList();
        }
        finally
        {
            resume.SetResult();
            await load;
        }

        Assert.Equal(["earlier"], listed);
        Assert.Equal(["earlier", "loading"], (await store.GetCollectionsAsync(CancellationToken.None)).Select(c => c.Schema.Id).Order());
    }

    private static Task<long> LoadAsync(GeoPackageDirectoryStore store, string id, IAsyncEnumerable<FeatureRecord> features) =>
        store.LoadAsync(new CollectionSchema(id, id, null, GeometryKind.Point, GeometryServices.Crs84Srid, FeatureIdKind.Integer, TestPlaces.Properties, null),
            features, CancellationToken.None);

    private static async IAsyncEnumerable<FeatureRecord> Records(IEnumerable<FeatureRecord> records)
    {
        foreach (var record in records) yield return record;
        await Task.CompletedTask;
    }

    private static async IAsyncEnumerable<FeatureRecord> PausedHalfway(TaskCompletionSource halfway, TaskCompletionSource resume,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var places = TestPlaces.All;
        yield return places[0];
        halfway.SetResult();
        await resume.Task.WaitAsync(cancellationToken);
        foreach (var place in places.Skip(1)) yield return place;
    }
}
