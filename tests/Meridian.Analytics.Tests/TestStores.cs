using System.Security.Cryptography;
using Meridian.Analytics.Lake;
using Meridian.Storage.Objects;

namespace Meridian.Analytics.Tests;

/// <summary>The object stores the lake's contract tests run against, and what they do with them.</summary>
internal static class TestStores
{
    public static IObjectStore Local(string workDirectory) => new LocalObjectStore(LocalFolder(workDirectory));

    /// <summary>Encrypted at rest, the local store's files are not Parquet on disk: they go through the cache, as S3's do.</summary>
    public static IObjectStore EncryptedLocal(string workDirectory) =>
        new LocalObjectStore(LocalFolder(workDirectory), new AesGcmObjectCipher(RandomNumberGenerator.GetBytes(32)));

    /// <summary>Where the local stores keep their files.</summary>
    public static string LocalFolder(string workDirectory) => Path.Combine(workDirectory, "objects");

    public static async Task<IObjectStore> S3Async(S3TestBucket bucket)
    {
        await bucket.InitializeAsync();
        return bucket.Store;
    }

    public static async Task PutAsync(this IObjectStore store, string key, byte[] bytes)
    {
        using var content = new MemoryStream(bytes);
        await store.PutAsync(ObjectKey.Parse(key), content, CancellationToken.None);
    }

    /// <summary>Every key under the lake's root, in order.</summary>
    public static async Task<List<string>> LakeKeysAsync(this IObjectStore store)
    {
        var keys = new List<string>();
        await foreach (var info in store.ListAsync(LakeLayout.Root, CancellationToken.None)) keys.Add(info.Key.Value);
        return keys;
    }
}
