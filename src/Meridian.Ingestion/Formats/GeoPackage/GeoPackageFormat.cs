using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Meridian.Storage.GeoPackage;
using Microsoft.Data.Sqlite;
using static Meridian.Storage.Sql;

namespace Meridian.Ingestion.Formats.GeoPackage;

/// <summary>
/// A GeoPackage, opened read-only: every feature table (gpkg_contents data_type 'features') is a layer,
/// in the CRS of its gpkg_spatial_ref_sys row.
/// </summary>
internal sealed class GeoPackageFormat : IFeatureFormat
{
    private static ReadOnlySpan<byte> SqliteMagic => "SQLite format 3\0"u8;

    public string Name => "gpkg";

    public bool Recognizes(string fileName, ReadOnlySpan<byte> head) =>
        head.StartsWith(SqliteMagic) && (head.Length >= 72 && head[68..72] is var id && (id.SequenceEqual("GPKG"u8) || id.SequenceEqual("GP10"u8) || id.SequenceEqual("GP11"u8)) ||
                                         FileHead.HasExtension(fileName, ".gpkg"));

    public async Task<SourceFile> OpenAsync(string path, SourceOptions options, CancellationToken cancellationToken)
    {
        CheckHeader(path);
        var layers = await Run(path, async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT c.table_name, g.column_name, s.organization, s.organization_coordsys_id, s.definition
                FROM gpkg_contents c
                JOIN gpkg_geometry_columns g ON lower(g.table_name) = lower(c.table_name)
                LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
                WHERE c.data_type = 'features'
                ORDER BY c.table_name
                """;
            var found = new List<SourceLayer>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var table = reader.GetString(0);
                var geometryColumn = reader.GetString(1);
                var crs = Crs(reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4));
                found.Add(new SourceLayer(table, crs, ct => ReadAsync(path, table, geometryColumn, ct)));
            }
            return found;
        });
        return layers.Count > 0 ? new SourceFile(layers) : throw new SourceFormatException("the GeoPackage has no feature tables (gpkg_contents lists none with data_type 'features').");
    }

    /// <summary>EPSG codes as codes; other organisations by their WKT; the undefined systems (srs_id -1, 0) as none.</summary>
    private static SourceCrs? Crs(string? organization, int? code, string? definition) =>
        organization?.Equals("EPSG", StringComparison.OrdinalIgnoreCase) == true && code > 0 ? SourceCrs.FromEpsg(code.Value)
        : string.IsNullOrWhiteSpace(definition) || definition.Trim().Equals("undefined", StringComparison.OrdinalIgnoreCase) ? null
        : SourceCrs.FromWkt(definition);

    /// <summary>SQLite finds a cut file only when it reads the missing pages; its header says how long the file must be.</summary>
    private static void CheckHeader(string path)
    {
        Span<byte> header = stackalloc byte[100];
        long length;
        using (var stream = FeatureFormats.OpenRead(path))
        {
            length = stream.Length;
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header.StartsWith(SqliteMagic))
                throw new SourceFormatException($"the file is not a GeoPackage: {(length == 0 ? "it is empty (0 bytes)" : "it has no SQLite header")}.");
        }
        var rawPageSize = BinaryPrimitives.ReadUInt16BigEndian(header[16..]);
        var pageSize = rawPageSize == 1 ? 65536 : rawPageSize;
        var pages = BinaryPrimitives.ReadUInt32BigEndian(header[28..]);
        if ((long)pageSize * pages > length)
            throw new SourceFormatException($"the GeoPackage is truncated: its header says {(long)pageSize * pages:N0} bytes, the file has {length:N0}.");
    }

    private static async IAsyncEnumerable<SourceFeature> ReadAsync(string path, string table, string geometryColumn, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(path, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {Quote(table)} ORDER BY rowid";
        var rows = await Run(() => command.ExecuteReaderAsync(cancellationToken));
        await using var reader = rows;
        var geometryOrdinal = reader.GetOrdinal(geometryColumn);
        var idOrdinal = await Run(() => PrimaryKeyOrdinalAsync(connection, table, reader, cancellationToken));
        var record = 0L;
        while (await Run(() => reader.ReadAsync(cancellationToken)))
        {
            record++;
            yield return ReadRow(reader, record, idOrdinal, geometryOrdinal);
        }
    }

    private static SourceFeature ReadRow(SqliteDataReader reader, long record, int idOrdinal, int geometryOrdinal)
    {
        var properties = new List<KeyValuePair<string, object?>>(reader.FieldCount);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            if (i == idOrdinal || i == geometryOrdinal) continue;
            properties.Add(new(reader.GetName(i), reader.GetValue(i) switch
            {
                DBNull => null,
                byte[] bytes => Convert.ToBase64String(bytes),
                // GeoPackage keeps BOOLEAN columns as the integers 0 and 1 (GeoPackage 1.3, table 1).
                long flag when IsBoolean(reader.GetDataTypeName(i)) => flag != 0,
                var value => value,
            }));
        }
        var id = idOrdinal >= 0 && !reader.IsDBNull(idOrdinal) ? Convert.ToString(reader.GetValue(idOrdinal), System.Globalization.CultureInfo.InvariantCulture) : null;
        try
        {
            var blob = reader.IsDBNull(geometryOrdinal) ? null : (byte[])reader.GetValue(geometryOrdinal);
            return new SourceFeature(record, id, GeoPackageBlob.Read(blob, 0), properties);
        }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or FormatException or IndexOutOfRangeException or InvalidOperationException or NotSupportedException or EndOfStreamException or NetTopologySuite.IO.ParseException)
        {
            return SourceFeature.Rejected(record, $"the geometry blob cannot be read: {e.Message}");
        }
    }

    private static bool IsBoolean(string declaredType) => declaredType.Trim().Equals("BOOLEAN", StringComparison.OrdinalIgnoreCase);

    private static async Task<int> PrimaryKeyOrdinalAsync(SqliteConnection connection, string table, SqliteDataReader rows, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info($table) WHERE pk = 1 AND lower(type) = 'integer'";
        command.Parameters.AddWithValue("$table", table);
        return await command.ExecuteScalarAsync(cancellationToken) is string name ? rows.GetOrdinal(name) : -1;
    }

    private static async Task<SqliteConnection> OpenConnectionAsync(string path, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync();
            throw Damaged(e);
        }
    }

    private static async Task<T> Run<T>(string path, Func<SqliteConnection, Task<T>> work)
    {
        await using var connection = await OpenConnectionAsync(path, CancellationToken.None);
        return await Run(() => work(connection));
    }

    private static async Task<T> Run<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (SqliteException e)
        {
            throw Damaged(e);
        }
    }

    private static SourceFormatException Damaged(SqliteException e) =>
        new($"the GeoPackage cannot be read (damaged, or not a GeoPackage): {e.Message}", e);
}
