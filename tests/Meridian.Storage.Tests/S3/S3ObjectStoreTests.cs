using Meridian.Storage.Objects;
using Meridian.Storage.S3;
using Meridian.Storage.Tests.Objects;
using Meridian.Testing;

namespace Meridian.Storage.Tests.S3;

/// <summary>The object-store contract against a real S3-compatible server (scripts/test.sh starts s3rver).</summary>
public sealed class S3ObjectStoreTests : ObjectStoreContract, IClassFixture<S3TestBucket>
{
    public S3ObjectStoreTests(S3TestBucket bucket) => Store = bucket.Store;

    protected override IObjectStore Store { get; }

    [Fact]
    public async Task A_missing_bucket_makes_the_store_unhealthy()
    {
        using var store = new S3ObjectStore(S3TestBucket.Options("no-such-bucket-" + Guid.NewGuid().ToString("N")[..8]));

        await Assert.ThrowsAnyAsync<Exception>(() => store.CheckHealthAsync(CancellationToken.None));
    }

    // A missing bucket is a misconfigured store, not a missing object: reported as "no object" it would send an operator
    // looking for a file, and read as an absent result it would answer 404 to every client instead of failing.
    [Fact]
    public async Task A_missing_bucket_is_not_reported_as_a_missing_object()
    {
        var bucket = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8];
        using var store = new S3ObjectStore(S3TestBucket.Options(bucket));
        var key = ObjectKey.Parse("raw/a.geojson");

        var put = await Assert.ThrowsAnyAsync<Exception>(() => store.PutAsync(key, new MemoryStream([1]), CancellationToken.None));
        var read = await Assert.ThrowsAnyAsync<Exception>(() => store.OpenReadAsync(key, CancellationToken.None));

        Assert.All([put, read], e =>
        {
            Assert.IsNotType<ObjectNotFoundException>(e);
            Assert.Contains($"bucket '{bucket}' does not exist", e.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Keys_live_under_the_configured_prefix()
    {
        var key = ObjectKey.Parse("prefixed/" + Guid.NewGuid().ToString("N"));
        await Store.PutAsync(key, new MemoryStream([7]), CancellationToken.None);
        using var unprefixed = new S3ObjectStore(S3TestBucket.Options(((S3ObjectStore)Store).Bucket));

        Assert.NotNull(await unprefixed.GetInfoAsync(ObjectKey.Parse(S3TestBucket.Prefix + key.Value), CancellationToken.None));
    }
}
