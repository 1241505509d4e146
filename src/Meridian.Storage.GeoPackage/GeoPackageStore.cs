using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Meridian.Storage.Writing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using NetTopologySuite.Geometries;
using static Meridian.Storage.Sql;

namespace Meridian.Storage.GeoPackage;

/// <summary>
/// A GeoPackage file as a feature store: every feature table is a collection. The file stays a plain
/// GeoPackage (core tables, R-tree extension) that QGIS and GDAL open.
/// </summary>
public sealed partial class GeoPackageStore : IWritableFeatureStore
{
    private const string GeometryColumn = "geom";
    private readonly string _connectionString;
    private readonly ILogger _logger;

    private GeoPackageStore(string path, ILogger logger)
    {
        FilePath = Path.GetFullPath(path);
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
    }

    public string FilePath { get; }

    public string Name => "geopackage:" + FilePath;

    /// <summary>Opens an existing GeoPackage; throws <see cref="InvalidDataException"/> when the file is not one.</summary>
    public static GeoPackageStore Open(string path, ILogger logger)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"GeoPackage '{path}' does not exist.", path);
        var store = new GeoPackageStore(path, logger);
        try
        {
            // Synchronous on purpose: stores are built while the host is composed, before anything is async.
            store.CheckHealthAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (SqliteException e)
        {
            throw new InvalidDataException($"'{path}' is not a readable GeoPackage: {e.Message}", e);
        }
        return store;
    }

    /// <summary>A store for a file that may not exist yet: it is created, with the core tables, on the first load.</summary>
    public static GeoPackageStore OpenOrCreate(string path, ILogger logger) => new(path, logger);

    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        SpatialFunctions.RegisterTriggerFunctions(connection);
        return connection;
    }

    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM gpkg_contents";
        await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>The layers as of a schema version: discovery reruns only when a table was created, altered or dropped.</summary>
    private (long SchemaVersion, IReadOnlyList<IFeatureCollection> Layers)? _discovered;

    public async Task<IReadOnlyList<IFeatureCollection>> GetCollectionsAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath)) return [];
        await using var connection = await OpenAsync(cancellationToken);
        await using (var version = connection.CreateCommand())
        {
            version.CommandText = "PRAGMA schema_version";
            var schemaVersion = Convert.ToInt64(await version.ExecuteScalarAsync(cancellationToken));
            if (_discovered is { } known && known.SchemaVersion == schemaVersion) return known.Layers;
            var layers = await DiscoverAsync(connection, cancellationToken);
            _discovered = (schemaVersion, layers);
            return layers;
        }
    }

    private async Task<IReadOnlyList<IFeatureCollection>> DiscoverAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var layers = new List<IFeatureCollection>();
        // A file whose first load is still running exists (SQLite made it) but has no tables until that load commits.
        if (!await HasContentsTableAsync(connection, cancellationToken)) return layers;
        foreach (var candidate in await ReadContentsAsync(connection, cancellationToken))
        {
            try
            {
                layers.Add(new GeoPackageLayer(this, await DescribeAsync(connection, candidate, cancellationToken)));
            }
            catch (NotSupportedException e)
            {
                LogLayerSkipped(candidate.Table, e.Message);
            }
        }
        return layers;
    }

    /// <summary>A layer's metadata rows; <paramref name="Z"/> is gpkg_geometry_columns.z: 0 prohibited, 1 mandatory, 2 optional.</summary>
    private sealed record ContentsRow(string Table, string Title, string? Description, string GeometryColumn, string GeometryType, int Srid, string? Definition, int Z)
    {
        /// <summary>Only a layer whose every geometry has heights is one with heights.</summary>
        public bool HasZ => Z == 1;

        /// <summary>Heights optional (z = 2, which GDAL can write): the layer takes geometries of either dimension, as a bare PostGIS geometry column does.</summary>
        public bool TakesAnyDimension => Z == 2;
    }

    private static async Task<bool> HasContentsTableAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_contents')";
        return Convert.ToBoolean(await command.ExecuteScalarAsync(ct));
    }

    private static async Task<List<ContentsRow>> ReadContentsAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.table_name, coalesce(nullif(c.identifier, ''), c.table_name), nullif(c.description, ''),
                   g.column_name, g.geometry_type_name, g.srs_id, s.definition, g.z
            FROM gpkg_contents c
            JOIN gpkg_geometry_columns g ON lower(g.table_name) = lower(c.table_name)
            LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
            WHERE c.data_type = 'features'
            ORDER BY c.table_name
            """;
        var rows = new List<ContentsRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new ContentsRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt32(7)));
        }
        return rows;
    }

    private static async Task<GeoPackageLayerInfo> DescribeAsync(SqliteConnection connection, ContentsRow row, CancellationToken ct)
    {
        var properties = new List<PropertySchema>();
        string? idColumn = null;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, type, \"notnull\", pk FROM pragma_table_info($table)";
            command.Parameters.AddWithValue("$table", row.Table);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var (name, type, notNull, pk) = (reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetInt32(3));
                if (pk == 1 && SqliteValues.TypeOf(type) == PropertyType.Integer) idColumn = name;
                else if (!string.Equals(name, row.GeometryColumn, StringComparison.OrdinalIgnoreCase))
                    properties.Add(new PropertySchema(name, SqliteValues.TypeOf(type), !notNull, SqliteValues.LengthOf(type)));
            }
        }
        if (idColumn is null) throw new NotSupportedException("it has no INTEGER PRIMARY KEY column, which GeoPackage requires");

        string? rtree = GeoPackageDdl.RTreeName(row.Table, row.GeometryColumn);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
            command.Parameters.AddWithValue("$name", rtree);
            if (Convert.ToInt64(await command.ExecuteScalarAsync(ct)) == 0) rtree = null;
        }

        var srid = row.Srid;
        var transform = Crs84Transform.For(srid, row.Definition);
        var temporal = properties.FirstOrDefault(p => p.Type is PropertyType.DateTime or PropertyType.Date)?.Name;
        var schema = new CollectionSchema(row.Table, row.Title, row.Description, GeometryKinds.Parse(row.GeometryType),
            srid <= 0 ? GeometryServices.Crs84Srid : srid, FeatureIdKind.Integer, properties, temporal) { GeometryName = row.GeometryColumn, HasZ = row.HasZ };
        return new GeoPackageLayerInfo(schema, row.Table, idColumn, row.GeometryColumn, rtree, transform);
    }

    /// <summary>Appends to the layer, creating it when missing; one transaction.</summary>
    public Task<long> LoadAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken) =>
        LoadAsync(schema, features, ExistingLayer.Append, cancellationToken);

    /// <summary>Creates the layer and loads it; one transaction, which finds no layer of that name or writes nothing.</summary>
    public Task<long> LoadNewAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken) =>
        LoadAsync(schema, features, ExistingLayer.Refuse, cancellationToken);

    /// <summary>
    /// Loads into a staging table in the same file, then (in the same transaction) drops the layer and puts the
    /// staging table in its place with fresh metadata and R-tree: readers see the old layer or the new one.
    /// </summary>
    public Task<long> ReplaceAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken) =>
        LoadAsync(schema, features, ExistingLayer.Replace, cancellationToken);

    /// <summary>What a load does with a layer of its name that the file already has.</summary>
    private enum ExistingLayer { Append, Refuse, Replace }

    private async Task<long> LoadAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, ExistingLayer ifExisting, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await PrepareFileAsync(connection, schema.StorageSrid, cancellationToken);
        var existing = await FindContentsAsync(connection, schema.Id, cancellationToken);
        if (existing is not null && ifExisting == ExistingLayer.Refuse) throw new StoreConflictException($"collection '{schema.Id}' exists.");
        TargetTable target;
        long loaded;
        if (existing is not null && ifExisting == ExistingLayer.Append)
        {
            var layer = await CheckColumnsAsync(connection, existing, schema, cancellationToken);
            target = new TargetTable(existing.Table, existing.GeometryColumn);
            // An append keeps the layer's dimension, whatever the load's schema says, as PostGIS's typmod'd column does:
            // heights of 0 for 2D geometries in a layer with heights, a 3D geometry in a 2D layer refused (the whole
            // load with it: the transaction is never committed). A layer with optional heights takes either as given.
            loaded = await InsertAsync(connection, schema, target, features,
                existing.TakesAnyDimension ? AsGiven : (feature, position, g) => LoadedDimension.Fit(g, layer, feature, position), cancellationToken);
        }
        else
        {
            // A new table is filled before its R-tree exists, and the index is built in one pass at the end
            // rather than by a trigger per row.
            var staging = new TargetTable(existing is null ? schema.Id : "meridian_staging_" + Guid.NewGuid().ToString("N")[..12], GeometryColumn);
            await Execute(connection, GeoPackageDdl.CreateFeatureTable(schema with { Id = staging.Table }, GeometryColumn), cancellationToken);
            // The table has the load's dimension: a layer with heights gives 2D geometries a height of 0, as PostGIS's load does.
            loaded = await InsertAsync(connection, schema, staging, features,
                schema.HasZ ? (_, _, g) => Heights.Fill(g) : AsGiven, cancellationToken);
            target = staging with { Table = existing?.Table ?? schema.Id };
            if (existing is not null)
            {
                await DropLayerAsync(connection, existing, cancellationToken);
                await Execute(connection, $"ALTER TABLE {Quote(staging.Table)} RENAME TO {Quote(target.Table)}", cancellationToken);
            }
            // A replaced layer keeps its title, and its description unless the load brings one.
            await RegisterAsync(connection, target, schema, existing?.Title ?? schema.Title, schema.Description ?? existing?.Description, cancellationToken);
            await Execute(connection, GeoPackageDdl.FillRTree(target.Table, target.GeometryColumn), cancellationToken);
        }
        await Execute(connection, $"""
            UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
              (min_x, min_y, max_x, max_y) = (SELECT min(minx), min(miny), max(maxx), max(maxy) FROM {Quote(GeoPackageDdl.RTreeName(target.Table, target.GeometryColumn))})
            WHERE table_name = $table
            """, cancellationToken, ("$table", target.Table));
        await transaction.CommitAsync(cancellationToken);
        return loaded;
    }

    public async Task CreateCollectionAsync(CollectionSchema schema, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await PrepareFileAsync(connection, schema.StorageSrid, cancellationToken);
        if (await FindContentsAsync(connection, schema.Id, cancellationToken) is not null)
            throw new StoreConflictException($"'{FilePath}' already has a table '{schema.Id}'.");
        var table = new TargetTable(schema.Id, GeometryColumn);
        await Execute(connection, GeoPackageDdl.CreateFeatureTable(schema, GeometryColumn), cancellationToken);
        await RegisterAsync(connection, table, schema, schema.Title, schema.Description, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<bool> DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath)) return false;
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (await FindContentsAsync(connection, collectionId, cancellationToken) is not { } row) return false;
        await DropLayerAsync(connection, row, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Drops a layer's table, R-tree and metadata rows (dropping the table drops its R-tree triggers).</summary>
    private static Task DropLayerAsync(SqliteConnection connection, ContentsRow row, CancellationToken ct) =>
        Execute(connection, $"""
            DROP TABLE IF EXISTS {Quote(GeoPackageDdl.RTreeName(row.Table, row.GeometryColumn))};
            DROP TABLE {Quote(row.Table)};
            DELETE FROM gpkg_extensions WHERE lower(table_name) = lower($t);
            DELETE FROM gpkg_geometry_columns WHERE lower(table_name) = lower($t);
            DELETE FROM gpkg_contents WHERE lower(table_name) = lower($t);
            """, ct, ("$t", row.Table));

    private static async Task<ContentsRow?> FindContentsAsync(SqliteConnection connection, string table, CancellationToken ct) =>
        (await ReadContentsAsync(connection, ct)).FirstOrDefault(r => string.Equals(r.Table, table, StringComparison.OrdinalIgnoreCase));

    private sealed record TargetTable(string Table, string GeometryColumn);

    /// <summary>Creates the GeoPackage core tables when missing and the SRS a load in this SRID needs.</summary>
    private static async Task PrepareFileAsync(SqliteConnection connection, int srid, CancellationToken ct)
    {
        await Execute(connection, GeoPackageDdl.Pragmas + GeoPackageDdl.CoreTables, ct);
        if (!TakesSrid(srid)) throw new NotSupportedException($"GeoPackage loads support EPSG:4326 and EPSG:3857, not EPSG:{srid}.");
        if (srid == 3857) await Execute(connection, GeoPackageDdl.WebMercatorSrs, ct);
    }

    /// <summary>Whether collections in this SRID can be created here: the file carries the definitions of these two only.</summary>
    public static bool TakesSrid(int srid) => srid is GeometryServices.Crs84Srid or 3857;

    /// <summary>Checks an existing layer has a column for every property of the load; returns the layer's schema.</summary>
    private static async Task<CollectionSchema> CheckColumnsAsync(SqliteConnection connection, ContentsRow existing, CollectionSchema schema, CancellationToken ct)
    {
        var info = await DescribeAsync(connection, existing, ct);
        var missing = schema.Properties.Where(p => info.Schema.FindProperty(p.Name) is null).Select(p => p.Name).ToList();
        if (missing.Count > 0)
            throw new StoreConflictException($"collection '{schema.Id}' has no column(s) {string.Join(", ", missing)}");
        return info.Schema;
    }

    /// <summary>Makes a feature table a layer: its gpkg_contents, gpkg_geometry_columns and gpkg_extensions rows, and its R-tree with triggers.</summary>
    private static async Task RegisterAsync(SqliteConnection connection, TargetTable table, CollectionSchema schema, string title, string? description, CancellationToken ct)
    {
        await Execute(connection, """
            INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ($t, 'features', $title, coalesce($d, ''), $srid);
            INSERT INTO gpkg_geometry_columns VALUES ($t, $c, $type, $srid, $z, 0);
            INSERT INTO gpkg_extensions VALUES ($t, $c, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
            """, ct, ("$t", table.Table), ("$title", title), ("$d", (object?)description ?? DBNull.Value), ("$srid", schema.StorageSrid),
            ("$c", table.GeometryColumn), ("$type", schema.GeometryType.ToSqlName()), ("$z", schema.HasZ ? 1 : 0));
        await Execute(connection, GeoPackageDdl.CreateRTree(table.Table, table.GeometryColumn), ct);
    }

    /// <summary>The geometry of a load's feature (its place in the load from 1) as the table stores it.</summary>
    private delegate Geometry StoredGeometry(FeatureRecord feature, long position, Geometry geometry);

    private static readonly StoredGeometry AsGiven = (_, _, geometry) => geometry;

    private static async Task<long> InsertAsync(SqliteConnection connection, CollectionSchema schema, TargetTable target,
        IAsyncEnumerable<FeatureRecord> features, StoredGeometry stored, CancellationToken ct)
    {
        await using var insert = connection.CreateCommand();
        var names = new[] { "fid", target.GeometryColumn }.Concat(schema.Properties.Select(p => p.Name)).ToArray();
        insert.CommandText = $"INSERT INTO {Quote(target.Table)} ({string.Join(", ", names.Select(Quote))}) VALUES ({string.Join(", ", names.Select((_, i) => "$v" + i))})";
        var parameters = names.Select((_, i) => insert.Parameters.Add(new SqliteParameter("$v" + i, null))).ToArray();
        long count = 0;
        await foreach (var feature in features.WithCancellation(ct))
        {
            count++;
            parameters[0].Value = feature.Id is { } id ? (long.TryParse(id, out var fid) ? fid : DBNull.Value) : DBNull.Value;
            parameters[1].Value = feature.Geometry is { IsEmpty: false } g ? GeoPackageBlob.Write(stored(feature, count, g)) : DBNull.Value;
            for (var i = 0; i < schema.Properties.Count; i++)
            {
                var property = schema.Properties[i];
                feature.Properties.TryGetValue(property.Name, out var value);
                try
                {
                    parameters[i + 2].Value = SqliteValues.ToStorage(value, property.Type);
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"feature {count}, property '{property.Name}': {e.Message}", e);
                }
            }
            try
            {
                await insert.ExecuteNonQueryAsync(ct);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT
            {
                throw new InvalidDataException($"feature {count}: {e.Message} (duplicate feature id?)", e);
            }
        }
        return count;
    }

    private static async Task Execute(SqliteConnection connection, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GeoPackage layer {Table} is not published: {Reason}")]
    private partial void LogLayerSkipped(string table, string reason);
}
