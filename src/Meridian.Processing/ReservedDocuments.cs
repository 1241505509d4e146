using System.Text.Json;
using Meridian.Storage.Objects;

namespace Meridian.Processing;

/// <summary>
/// Small JSON documents the processing engine keeps in the object store's reserved area (<c>.meridian/…</c>, which no
/// client key can name): workflow definitions and checkpoints, subscriptions and the notification outbox. The object
/// store is the one durable store every deployment has (a local directory embedded, S3 distributed), and it writes
/// each object whole or not at all, which is exactly what a checkpoint needs.
/// </summary>
public sealed class ReservedDocuments(IObjectStore objects)
{
    public static ObjectKey Key(string rest) =>
        ObjectKey.TryParseStored(ObjectKey.ReservedArea + rest, out var key) && key.IsReserved
            ? key
            : throw new ArgumentException($"'{rest}' is not a valid key.", nameof(rest));

    public async Task<T?> ReadAsync<T>(ObjectKey key, JsonSerializerOptions options, CancellationToken cancellationToken) where T : class
    {
        try
        {
            await using var stream = await objects.OpenReadAsync(key, cancellationToken);
            return await JsonSerializer.DeserializeAsync<T>(stream, options, cancellationToken);
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }

    public async Task WriteAsync<T>(ObjectKey key, T document, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(document, options));
        await objects.PutAsync(key, content, cancellationToken);
    }

    public Task<bool> DeleteAsync(ObjectKey key, CancellationToken cancellationToken) => objects.DeleteAsync(key, cancellationToken);

    /// <summary>The keys under a folder of the reserved area, in key order.</summary>
    public async Task<List<ObjectKey>> ListAsync(string folder, CancellationToken cancellationToken)
    {
        var keys = new List<ObjectKey>();
        await foreach (var info in objects.ListAsync(ObjectKey.ReservedArea + folder, cancellationToken)) keys.Add(info.Key);
        return keys;
    }
}
