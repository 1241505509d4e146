using System.Runtime.CompilerServices;
using System.Text.Json;
using Meridian.Composition;
using Meridian.Gateway.Auth;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Configuration;
using Meridian.Storage;
using Meridian.Storage.GeoPackage;
using Meridian.Storage.Objects;
using Meridian.Storage.Schema;

namespace Meridian.Backup;

/// <summary>
/// Puts a verified archive back: each collection in one atomic load into the store where <c>meridian ingest</c> loads
/// (a new one in one transaction, a replaced one through the loaders' staging table and swap), with its owner; the API
/// keys merged in; the workflow definitions and subscriptions written back. Everything that would stop it (a collection
/// or document that exists, without --replace; a collection the target store cannot hold; a malformed key list) is
/// found by <see cref="PlanAsync"/> before anything is written.
/// </summary>
internal sealed class PlatformRestore(
    IReadOnlyList<IWritableFeatureStore> stores, SqlApiKeyStore keys, IObjectStore objects, CacheOptions cache, ILoggerFactory logging, Action<string> report)
{
    /// <summary>The store restored into: the last of Meridian's own (PostGIS when there is one), as <see cref="FeatureStores.Writable"/> chooses.</summary>
    private IWritableFeatureStore Target => stores[^1];

    /// <summary>Whether a restore began writing (a failure then leaves the collections before the failed one restored).</summary>
    public bool Started { get; private set; }

    /// <summary>
    /// Opens and verifies the archive at <paramref name="path"/> (a <see cref="BackupArchiveException"/> when it is refused),
    /// plans the restore, and runs it unless the plan has problems or this is a dry run. Returns the plan.
    /// </summary>
    public async Task<RestorePlan> RestoreAsync(string path, string name, bool replace, bool dryRun, int maxCompressionRatio,
        CancellationToken cancellationToken)
    {
        await using var archive = await ArchiveReader.OpenAsync(path, name, cancellationToken);
        await archive.VerifyAsync(maxCompressionRatio, cancellationToken);
        var manifest = archive.Manifest;
        report($"{name}: archive format {manifest.Format}, written by Meridian {manifest.MeridianVersion} at {manifest.Created:yyyy-MM-dd'T'HH:mm:ss'Z'}; "
            + "every entry matches its SHA-256");
        var plan = await PlanAsync(archive, replace, cancellationToken);
        if (plan.Problems.Count == 0 && !dryRun)
        {
            Started = true;
            await RunAsync(archive, plan, cancellationToken);
        }
        return plan;
    }

    private async Task<RestorePlan> PlanAsync(ArchiveReader archive, bool replace, CancellationToken cancellationToken)
    {
        var manifest = archive.Manifest;
        var problems = new List<string>();
        var notes = new List<string>();
        var collections = new List<(CollectionEntry, bool)>();
        foreach (var collection in manifest.Collections)
        {
            IWritableFeatureStore? holder = null;
            foreach (var store in stores)
            {
                if (await store.HasCollectionAsync(collection.Id, cancellationToken))
                {
                    holder = store;
                    break;
                }
            }
            if (holder is not null && holder != Target)
                problems.Add($"collection '{collection.Id}' exists in {holder.Name}, where it would hide the restored one: delete it there first");
            else if (holder is not null && !replace)
                problems.Add($"collection '{collection.Id}' exists; --replace replaces it");
            if (Target is GeoPackageDirectoryStore)
            {
                if (!GeoPackageStore.TakesSrid(collection.Srid))
                    problems.Add($"collection '{collection.Id}' is in EPSG:{collection.Srid}, which the embedded store cannot hold (EPSG:4326 and 3857 only): restore it into PostGIS (--postgres)");
                if (collection.IdKind == FeatureIdKind.Text)
                    notes.Add($"collection '{collection.Id}' has text ids, which the embedded store cannot keep: its features are numbered anew");
            }
            collections.Add((collection, holder is not null));
        }
        var documents = new List<(DocumentEntry, bool)>();
        foreach (var document in manifest.Documents)
        {
            var exists = await objects.GetInfoAsync(PlatformDocuments.StoreKey(document.Key), cancellationToken) is not null;
            if (exists && !replace) problems.Add($"{Describe(document)} exists; --replace replaces it");
            documents.Add((document, exists));
        }
        var keyEntries = manifest.Keys is { } entry ? ReadKeys(await archive.ReadEntryAsync(entry, cancellationToken), entry) : [];
        return new RestorePlan(collections, documents, keyEntries, problems, notes);
    }

    /// <summary>The key list, checked whole before any key is added.</summary>
    private static List<KeyEntry> ReadKeys(byte[] content, string entry)
    {
        List<KeyEntry> entries;
        try
        {
            entries = JsonSerializer.Deserialize<List<KeyEntry>>(content, BackupManifest.Json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new BackupArchiveException($"{entry} is not a list of keys: {e.Message}", e);
        }
        if (entries.FirstOrDefault(k => k.Id.Length == 0 || k.Tenant.Length == 0 || k.Hash.Length != 64 || !k.Hash.All(char.IsAsciiHexDigitLower)
            || k.Scopes.Any(s => !Scopes.All.Contains(s))) is { } bad)
            throw new BackupArchiveException($"{entry}: key '{bad.Id}' has no id, tenant or SHA-256, or a scope Meridian does not know");
        return entries;
    }

    public static string Describe(DocumentEntry document)
    {
        var name = Path.GetFileNameWithoutExtension(document.Key);
        return document.Key.StartsWith(Processing.Workflows.WorkflowRegistry.Folder, StringComparison.Ordinal) ? $"workflow '{name}'"
            : document.Key.StartsWith(Processing.Workflows.WorkflowRegistry.OwnerFolder, StringComparison.Ordinal) ? $"the owner of workflow '{name}'"
            : $"subscription {name}";
    }

    private async Task RunAsync(ArchiveReader archive, RestorePlan plan, CancellationToken cancellationToken)
    {
        var owners = (ICollectionOwners)keys;
        var ownedBefore = await owners.OwnersAsync(cancellationToken);
        foreach (var (collection, exists) in plan.Collections)
        {
            var schema = collection.ToSchema();
            await using var content = await archive.OpenEntryAsync(collection.Entry, cancellationToken);
            var features = Counted(FeatureLines.ReadAsync(content, schema, collection.Entry, cancellationToken), collection.Features, collection.Entry, cancellationToken);
            long loaded;
            if (exists)
            {
                // The owner after the swap, when the features are the archive's. (Before it, a new owner would see the old ones.)
                loaded = await Target.ReplaceAsync(schema, features, cancellationToken);
                await owners.SetOwnerAsync(collection.Id, collection.Owner, cancellationToken);
            }
            else
            {
                // The owner first: a tenant's collection is never briefly public on its way back.
                await owners.SetOwnerAsync(collection.Id, collection.Owner, cancellationToken);
                try
                {
                    loaded = await Target.LoadNewAsync(schema, features, cancellationToken);
                }
                catch
                {
                    await owners.SetOwnerAsync(collection.Id, ownedBefore.GetValueOrDefault(collection.Id), CancellationToken.None);
                    throw;
                }
            }
            await Caching.AnnounceLoadAsync(cache, collection.Id, logging, cancellationToken);
            report($"{collection.Id}: {(exists ? "replaced with" : "restored")} {loaded:N0} features");
        }

        var added = 0;
        foreach (var key in plan.Keys)
        {
            if (await keys.ImportAsync(new ApiKeyRecord(key.Id, key.Tenant, key.Scopes, key.Name, key.Created, key.Expires, key.Revoked), key.Hash, cancellationToken))
                added++;
        }
        report($"API keys: {added} added, {plan.Keys.Count - added} already here (kept as they are)");

        foreach (var (document, _) in plan.Documents)
        {
            await using var content = await archive.OpenEntryAsync(document.Entry, cancellationToken);
            await objects.PutAsync(PlatformDocuments.StoreKey(document.Key), content, cancellationToken);
        }
        if (plan.Documents.Count > 0) report($"workflows and subscriptions: {plan.Documents.Count} documents written");
    }

    /// <summary>
    /// The features of an entry, failing at the end, before the load commits, when they are not as many as the manifest
    /// says: a load that read a different number rolls back.
    /// </summary>
    private static async IAsyncEnumerable<FeatureRecord> Counted(IAsyncEnumerable<FeatureRecord> features, long expected, string entry,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long count = 0;
        await foreach (var feature in features.WithCancellation(cancellationToken))
        {
            count++;
            yield return feature;
        }
        if (count != expected) throw new BackupArchiveException($"{entry} holds {count:N0} features where the manifest says {expected:N0}");
    }
}

/// <summary>What a restore will do: each collection and document with whether it exists (and is replaced), the keys, and what stops it.</summary>
internal sealed record RestorePlan(
    IReadOnlyList<(CollectionEntry Collection, bool Exists)> Collections,
    IReadOnlyList<(DocumentEntry Document, bool Exists)> Documents,
    IReadOnlyList<KeyEntry> Keys,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Notes);
