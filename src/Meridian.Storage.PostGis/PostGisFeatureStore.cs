using Meridian.Storage.Analysis;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>
/// The distributed feature store: every PostGIS table or view with a geometry column (see
/// <see cref="RelationCatalog"/> for the rules) is a collection, read with streaming SQL and loaded with binary
/// COPY. One instance per database, shared; it owns the connection pool.
/// </summary>
public sealed partial class PostGisFeatureStore : IStreamingLoadStore, IGeometrySql, IAsyncDisposable
{
    // Discovery is cheap but not free; a few seconds lets new tables appear without a restart.
    private static readonly TimeSpan DiscoveryLifetime = TimeSpan.FromSeconds(5);
    // How old a discovery must be before a miss may renew it: bounds the cost of requests for ids that do not exist.
    private static readonly TimeSpan MinDiscoveryAge = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource;
    private readonly CollectionFilter _filter;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ExtentCache _extents;
    private readonly FeatureLoader _loader;
    private readonly PostGisCollectionDdl _ddl;
    private readonly PostGisGeometrySql _geometrySql;
    private readonly SemaphoreSlim _discoveryLock = new(1, 1);
    // Relations already reported as unpublishable, so that rediscovery does not repeat the warning.
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private volatile Discovery? _discovery;

    private sealed record Discovery(IReadOnlyList<IFeatureCollection> Collections, DateTimeOffset Expires);

    public PostGisFeatureStore(PostGisStoreOptions options, ILogger<PostGisFeatureStore> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var connectionString = PostgresConnectionString.ToNpgsql(options.ConnectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Item pages repeat a handful of statement shapes: prepared once per connection, they skip parsing
        // and planning on every request. A connection string that sets its own value wins. Every statement runs in a
        // PostGisSession, which makes a connection forget them after a server error (npgsql/npgsql#6391).
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        if (!HasSetting(connectionString, "Maximum Pool Size", "Max Pool Size", "MaxPoolSize"))
            builder.ConnectionStringBuilder.MaxPoolSize = options.MaxConnections ?? PostGisStoreOptions.DefaultMaxConnections;
        builder.UseNetTopologySuite(GeometryServices.Factory.CoordinateSequenceFactory, GeometryServices.Factory.PrecisionModel);
        _dataSource = builder.Build();
        var settings = builder.ConnectionStringBuilder;
        Name = $"postgis:{settings.Host}:{settings.Port}/{settings.Database}";
        _filter = new CollectionFilter(options.Include, options.Exclude);
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _extents = new ExtentCache(_time);
        _loader = new FeatureLoader(_dataSource, logger);
        _ddl = new PostGisCollectionDdl(_dataSource);
        _geometrySql = new PostGisGeometrySql(_dataSource);
    }

    public string Name { get; }

    private static bool HasSetting(string connectionString, params string[] keys) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(k => keys.Contains(k, StringComparer.OrdinalIgnoreCase));

    public async Task<IReadOnlyList<IFeatureCollection>> GetCollectionsAsync(CancellationToken cancellationToken)
    {
        if (_discovery is { } current && current.Expires > _time.GetUtcNow()) return current.Collections;
        await _discoveryLock.WaitAsync(cancellationToken);
        try
        {
            if (_discovery is { } fresh && fresh.Expires > _time.GetUtcNow()) return fresh.Collections;
            var collections = await DiscoverAsync(cancellationToken);
            _discovery = new Discovery(collections, _time.GetUtcNow() + DiscoveryLifetime);
            return collections;
        }
        finally
        {
            _discoveryLock.Release();
        }
    }

    private async Task<IReadOnlyList<IFeatureCollection>> DiscoverAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<CatalogEntry> entries;
        await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken))
            entries = await RelationCatalog.ReadAsync(connection, null, null, cancellationToken);

        var collections = new List<IFeatureCollection>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => _filter.Publishes(e.CollectionId)))
        {
            if (entry.Relation is null)
            {
                if (_reported.Add(entry.CollectionId)) Log.RelationSkipped(_logger, entry.CollectionId, entry.Problem!);
                continue;
            }
            // A public table named "a.b" and table b of schema a share an id; the first in name order wins.
            if (!ids.Add(entry.CollectionId))
            {
                if (_reported.Add(entry.CollectionId)) Log.DuplicateCollectionId(_logger, entry.CollectionId);
                continue;
            }
            collections.Add(Publish(entry.Relation));
        }
        Log.Discovered(_logger, collections.Count, Name);
        return collections;
    }

    private PostGisCollection Publish(PostGisRelation relation) =>
        relation.IsTable ? new PostGisTable(relation, _dataSource, _extents) : new PostGisCollection(relation, _dataSource, _extents);

    /// <summary>
    /// Reads the relation of one discovered collection again, and forgets its extent: another process may have
    /// replaced its table (other columns), dropped it, or dropped it and created another of the same name since
    /// discovery looked. A relation now gone, or no longer publishable, leaves the listing.
    /// </summary>
    public async Task RefreshAsync(string collectionId, CancellationToken cancellationToken)
    {
        // Under the discovery lock: a discovery begun before this read must not put the old relation back afterwards.
        await _discoveryLock.WaitAsync(cancellationToken);
        try
        {
            _extents.Invalidate(collectionId);
            if (_discovery is not { } current) return;
            var collections = current.Collections.ToList();
            var index = collections.FindIndex(c => c.Schema.Id == collectionId);
            if (index < 0) return;
            var known = ((PostGisCollection)collections[index]).Relation;
            IReadOnlyList<CatalogEntry> entries;
            await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken))
                entries = await RelationCatalog.ReadAsync(connection, known.SchemaName, known.TableName, cancellationToken);
            if (entries is [{ Relation: { } relation }]) collections[index] = Publish(relation);
            else collections.RemoveAt(index);
            _discovery = current with { Collections = collections };
        }
        finally
        {
            _discoveryLock.Release();
        }
    }

    /// <summary>
    /// Discovery's answer for one id without discovering everything: only the relations whose collection id matches
    /// (by name, listed cheaply) have their columns read and are judged as discovery judges them.
    /// </summary>
    public async Task<bool> HasCollectionAsync(string collectionId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var (schemaName, tableName) in await RelationCatalog.NamesAsync(connection, cancellationToken))
        {
            if (!string.Equals(PostGisRelation.CollectionIdOf(schemaName, tableName), collectionId, StringComparison.OrdinalIgnoreCase)) continue;
            var entries = await RelationCatalog.ReadAsync(connection, schemaName, tableName, cancellationToken);
            if (entries.Any(e => e.Relation is not null && _filter.Publishes(e.CollectionId))) return true;
        }
        return false;
    }

    public void Rediscover()
    {
        if (_discovery is { } current && _time.GetUtcNow() - (current.Expires - DiscoveryLifetime) >= MinDiscoveryAge) _discovery = null;
    }

    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HealthTimeout);
        await using var command = _dataSource.CreateCommand("SELECT 1");
        command.CommandTimeout = (int)HealthTimeout.TotalSeconds;
        await command.ExecuteScalarAsync(timeout.Token);
    }

    public Task<long> LoadAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken) =>
        LoadAsync(schema, features, FeatureLoader.ExistingTable.Append, cancellationToken);

    public Task<long> LoadNewAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken) =>
        LoadAsync(schema, features, FeatureLoader.ExistingTable.Refuse, cancellationToken);

    public Task<long> ReplaceAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken) =>
        LoadAsync(schema, features, FeatureLoader.ExistingTable.Replace, cancellationToken);

    private Task<long> LoadAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, FeatureLoader.ExistingTable ifExisting,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(features);
        return _loader.LoadAsync(schema, features, ifExisting, Completion(schema.Id), cancellationToken);
    }

    public async Task<IFeatureLoadStream?> BeginLoadAsync(CollectionSchema schema, bool replace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return await _loader.BeginAsync(schema, replace ? FeatureLoader.ExistingTable.Replace : FeatureLoader.ExistingTable.Skip,
            Completion(schema.Id), cancellationToken);
    }

    /// <summary>What a committed load does to what the store remembers: the collection's listing and extent are stale.</summary>
    private Action<long> Completion(string collectionId)
    {
        var started = _time.GetTimestamp();
        return count =>
        {
            _discovery = null;
            _extents.Invalidate(collectionId);
            Log.Loaded(_logger, count, collectionId, _time.GetElapsedTime(started).TotalMilliseconds);
        };
    }

    public async Task CreateCollectionAsync(CollectionSchema schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        await _ddl.CreateAsync(schema, cancellationToken);
        _discovery = null;
    }

    public async Task<bool> DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken)
    {
        var dropped = await _ddl.DropAsync(collectionId, cancellationToken);
        _discovery = null;
        _extents.Invalidate(collectionId);
        return dropped;
    }

    public bool Owns(IFeatureCollection source) => source is PostGisCollection collection && collection.DataSource == _dataSource;

    public async Task<long> RunAsync(GeometrySqlOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Source is not PostGisCollection source || !Owns(source))
            throw new ArgumentException($"'{operation.Source.Schema.Id}' is not a collection of {Name}.", nameof(operation));
        var count = await _geometrySql.RunAsync(source.Relation, operation, cancellationToken);
        _discovery = null;
        _extents.Invalidate(operation.Target.Id);
        return count;
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        _discoveryLock.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "PostGIS relation {Relation} is not published: {Reason}.")]
        public static partial void RelationSkipped(ILogger logger, string relation, string reason);

        [LoggerMessage(2, LogLevel.Warning, "PostGIS relation {Relation} is not published: another relation already has that collection id.")]
        public static partial void DuplicateCollectionId(ILogger logger, string relation);

        [LoggerMessage(3, LogLevel.Debug, "Discovered {Count} collections in {Store}.")]
        public static partial void Discovered(ILogger logger, int count, string store);

        [LoggerMessage(4, LogLevel.Information, "Loaded {Count} features into {Collection} in {ElapsedMs:F0} ms.")]
        public static partial void Loaded(ILogger logger, long count, string collection, double elapsedMs);
    }
}
