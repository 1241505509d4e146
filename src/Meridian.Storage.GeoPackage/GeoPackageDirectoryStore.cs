using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Meridian.Storage.Schema;
using Meridian.Storage.Writing;
using Microsoft.Extensions.Logging;

namespace Meridian.Storage.GeoPackage;

/// <summary>
/// Meridian's own embedded store: a directory with one GeoPackage file per collection. One file per
/// collection keeps SQLite's single writer per collection, lets a collection be deleted with its file and
/// hands users a file they can open in QGIS.
/// </summary>
public sealed partial class GeoPackageDirectoryStore(string directory, ILogger logger) : IWritableFeatureStore
{
    private readonly ConcurrentDictionary<string, GeoPackageStore> _files = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _ddl = new(1, 1);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _loads = new(StringComparer.OrdinalIgnoreCase);

    public string Directory { get; } = Path.GetFullPath(directory);

    public string Name => "geopackage-directory:" + Directory;

    public async Task<IReadOnlyList<IFeatureCollection>> GetCollectionsAsync(CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var collections = new List<IFeatureCollection>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.gpkg").Order(StringComparer.Ordinal))
        {
            collections.AddRange(await FileStore(path).GetCollectionsAsync(cancellationToken));
        }
        return collections;
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        return Task.CompletedTask;
    }

    public Task<long> LoadAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken) =>
        LoadAsync(schema, (file, ct) => file.LoadAsync(schema, features, ct), mustBeNew: false, cancellationToken);

    public Task<long> LoadNewAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken) =>
        LoadAsync(schema, (file, ct) => file.LoadNewAsync(schema, features, ct), mustBeNew: true, cancellationToken);

    public Task<long> ReplaceAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken) =>
        LoadAsync(schema, (file, ct) => file.ReplaceAsync(schema, features, ct), mustBeNew: false, cancellationToken);

    /// <summary>
    /// Runs a load in the file that holds the collection, or in a new file named after it. Loads of one collection
    /// run one at a time: SQLite would keep a second writer of the file waiting only for its busy timeout, and a load
    /// must know whether the file it failed in was its own to delete, not one another load is filling.
    /// </summary>
    private async Task<long> LoadAsync(CollectionSchema schema, Func<GeoPackageStore, CancellationToken, Task<long>> load, bool mustBeNew,
        CancellationToken cancellationToken)
    {
        RequireSafeName(schema.Id);
        // One gate per collection id ever loaded here: as few as the collections.
        var gate = _loads.GetOrAdd(schema.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var collection in await GetCollectionsAsync(cancellationToken))
            {
                if (mustBeNew && string.Equals(collection.Schema.Id, schema.Id, StringComparison.OrdinalIgnoreCase))
                    throw new StoreConflictException($"collection '{collection.Schema.Id}' exists.");
                if (collection.Schema.Id == schema.Id && collection is GeoPackageLayer layer)
                    return await load(FileStore(layer.StoreFilePath), cancellationToken);
            }
            var path = Path.Combine(Directory, schema.Id + ".gpkg");
            var created = !File.Exists(path);
            try
            {
                return await load(FileStore(path), cancellationToken);
            }
            catch when (created)
            {
                // The failed load rolled back, but SQLite has already created an empty file: leave no trace.
                SqliteFiles.Delete(path);
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task CreateCollectionAsync(CollectionSchema schema, CancellationToken cancellationToken)
    {
        RequireSafeName(schema.Id);
        // One creation or deletion at a time: two creations of one id must not both find it free.
        await _ddl.WaitAsync(cancellationToken);
        try
        {
            if ((await GetCollectionsAsync(cancellationToken)).Any(c => string.Equals(c.Schema.Id, schema.Id, StringComparison.OrdinalIgnoreCase)))
                throw new StoreConflictException($"collection '{schema.Id}' exists.");
            var path = Path.Combine(Directory, schema.Id + ".gpkg");
            if (File.Exists(path)) throw new StoreConflictException($"'{path}' exists.");
            try
            {
                await FileStore(path).CreateCollectionAsync(schema, cancellationToken);
            }
            catch
            {
                _files.TryRemove(path, out _);
                SqliteFiles.Delete(path);
                throw;
            }
        }
        finally
        {
            _ddl.Release();
        }
    }

    public async Task<bool> DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken)
    {
        await _ddl.WaitAsync(cancellationToken);
        try
        {
            var layer = (await GetCollectionsAsync(cancellationToken)).OfType<GeoPackageLayer>().FirstOrDefault(c => c.Schema.Id == collectionId);
            if (layer is null) return false;
            var file = FileStore(layer.StoreFilePath);
            if (!await file.DeleteCollectionAsync(collectionId, cancellationToken)) return false;
            // A file left without collections is removed, so that the id is free for a new one.
            if ((await file.GetCollectionsAsync(cancellationToken)).Count == 0)
            {
                _files.TryRemove(layer.StoreFilePath, out _);
                SqliteFiles.Delete(layer.StoreFilePath);
            }
            return true;
        }
        finally
        {
            _ddl.Release();
        }
    }

    private static void RequireSafeName(string id)
    {
        if (!SafeName().IsMatch(id))
            throw new ArgumentException($"collection id '{id}' must be 1-64 letters, digits, '_', '-' or '.', starting with a letter, digit or '_'.");
    }

    private GeoPackageStore FileStore(string path) => _files.GetOrAdd(path, p => GeoPackageStore.OpenOrCreate(p, logger));

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex SafeName();
}
