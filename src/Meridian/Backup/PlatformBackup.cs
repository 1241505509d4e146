using System.Reflection;
using System.Text.Json;
using Meridian.Gateway.Auth;
using Meridian.Hosting.Catalog;
using Meridian.Storage;
using Meridian.Storage.Objects;

namespace Meridian.Backup;

/// <summary>
/// Writes what a platform needs to work again into one archive, through Meridian's own ports, so that it restores into
/// either kind of store: every collection of Meridian's stores (schema, CRS, features, owner tenant; a collection with the
/// id of one in an earlier store is hidden, as the catalog hides it), the API keys (hashed), and the workflow definitions
/// and webhook subscriptions (<see cref="PlatformDocuments"/>).
/// Left out on purpose: jobs and their results, and raw uploads. A job in flight cannot be resumed by another deployment
/// (its message lives on the old bus); finished jobs are history whose results can be run again; uploads already loaded
/// are in their collections, and the object store (S3 versioning, replication) is the better keeper of files as such.
/// </summary>
internal sealed class PlatformBackup(IReadOnlyList<IFeatureStore> stores, SqlApiKeyStore keys, IObjectStore objects, Action<string> report)
{
    /// <summary>How often a collection whose table is replaced between listing and reading is looked up again.</summary>
    private const int Attempts = 3;

    public async Task<BackupManifest> WriteAsync(Stream output, CancellationToken cancellationToken)
    {
        await using var archive = await ArchiveWriter.CreateAsync(output, cancellationToken);
        var owners = await ((ICollectionOwners)keys).OwnersAsync(cancellationToken);
        var collections = new List<CollectionEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Listed again once the first listing's collections are written: a PostGIS table being replaced can be missing
        // from a reading of the catalog (see ListAsync), and a collection is in the archive if any reading has it. One
        // created meanwhile may be in it too: it is then taken as it was after its creation.
        foreach (var store in stores.Concat(stores))
        {
            foreach (var listed in await ListAsync(store, cancellationToken))
            {
                if (!seen.Add(listed.Schema.Id)) continue;
                var entry = $"collections/{collections.Count + 1:D4}-{DataLakeZones.SafeFileName(listed.Schema.Id)}{FeatureLines.Extension}";
                if (await WriteCollectionAsync(archive, store, listed, entry, cancellationToken) is not { } written)
                {
                    report($"{listed.Schema.Id}: deleted while the backup ran, left out");
                    continue;
                }
                var (schema, count) = written;
                collections.Add(CollectionEntry.From(schema, owners.GetValueOrDefault(schema.Id), count, entry));
                report($"{schema.Id}: {count:N0} features");
            }
        }

        var exported = await keys.ExportAsync(cancellationToken);
        var keyEntries = exported.Select(k => new KeyEntry(k.Key.Id, k.Key.Tenant, k.Key.Scopes, k.Key.Name, k.Key.CreatedAt, k.Key.ExpiresAt, k.Key.RevokedAt, k.Hash)).ToList();
        await archive.WriteEntryAsync("keys.json", JsonSerializer.SerializeToUtf8Bytes(keyEntries, BackupManifest.Json), cancellationToken);
        report($"API keys: {keyEntries.Count}");

        var documents = new List<DocumentEntry>();
        foreach (var folder in PlatformDocuments.Folders)
        {
            await foreach (var info in objects.ListAsync(ObjectKey.ReservedArea + folder, cancellationToken))
            {
                var key = info.Key.Value[ObjectKey.ReservedArea.Length..];
                if (!PlatformDocuments.IsBackedUp(key)) continue;
                var entry = PlatformDocuments.EntryOf(key);
                await archive.WriteEntryAsync(entry, async sink =>
                {
                    await using var content = await objects.OpenReadAsync(info.Key, cancellationToken);
                    var buffer = new byte[81920];
                    int read;
                    while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0) await sink.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    return true;
                }, cancellationToken);
                documents.Add(new DocumentEntry(key, entry));
            }
        }
        report($"workflows: {documents.Count(d => d.Key.StartsWith(Processing.Workflows.WorkflowRegistry.Folder, StringComparison.Ordinal))}, "
            + $"subscriptions: {documents.Count(d => d.Key.StartsWith(Processing.Notifications.SubscriptionStore.SubscriptionsFolder, StringComparison.Ordinal))}");

        var manifest = new BackupManifest(BackupManifest.CurrentFormat, Version, DateTimeOffset.UtcNow, collections, "keys.json", documents, []);
        await archive.CompleteAsync(manifest, cancellationToken);
        return manifest;
    }

    /// <summary>
    /// The store's collections as two fresh readings of it show them, together. PostGIS discovery reads the catalog with
    /// functions that see DDL committed after its statement began, so a table swapped in by a replace at that moment can
    /// fail the reading (it is then tried again) or be left out of it (the other reading has it).
    /// </summary>
    private static async Task<IReadOnlyList<IFeatureCollection>> ListAsync(IFeatureStore store, CancellationToken cancellationToken)
    {
        var collections = new Dictionary<string, IFeatureCollection>(StringComparer.Ordinal);
        for (var reading = 0; reading < 2; reading++)
        {
            // A store reads afresh only a discovery older than a moment (PostGisFeatureStore.Rediscover).
            if (reading > 0) await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            for (var attempt = 1; ; attempt++)
            {
                store.Rediscover();
                try
                {
                    foreach (var collection in await store.GetCollectionsAsync(cancellationToken)) collections.TryAdd(collection.Schema.Id, collection);
                    break;
                }
                catch (InvalidOperationException) when (attempt < Attempts)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
                }
            }
        }
        return collections.Values.ToList();
    }

    /// <summary>
    /// Opens the collection's snapshot before its entry is begun: a table replaced since the listing (other columns) fails
    /// as it is opened, and the collection is then looked up again, its entry not yet started. Null when it is gone.
    /// </summary>
    private static async Task<(Storage.Schema.CollectionSchema Schema, long Count)?> WriteCollectionAsync(
        ArchiveWriter archive, IFeatureStore store, IFeatureCollection collection, string entry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (collection is not IFeatureSnapshotSource source)
                throw new NotSupportedException($"{store.Name} cannot read collection '{collection.Schema.Id}' as a snapshot");
            IFeatureReader reader;
            try
            {
                reader = await source.ReadSnapshotAsync(cancellationToken);
            }
            catch (CollectionChangedException) when (attempt < Attempts)
            {
                var id = collection.Schema.Id;
                await store.RefreshAsync(id, cancellationToken);
                if ((await store.GetCollectionsAsync(cancellationToken)).FirstOrDefault(c => c.Schema.Id == id) is not { } again) return null;
                collection = again;
                continue;
            }
            await using (reader)
            {
                var schema = collection.Schema;
                var count = await archive.WriteEntryAsync(entry, sink => FeatureLines.WriteAsync(reader, schema, sink, cancellationToken), cancellationToken);
                return (schema, count);
            }
        }
    }

    /// <summary>The version of this Meridian, as its assembly names it (with the commit when the build knew it).</summary>
    public static string Version { get; } =
        typeof(PlatformBackup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
