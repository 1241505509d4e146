using Meridian.Storage.Schema;
using NetTopologySuite.IO;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>
/// A COPY whose rows are encoded here, in PostgreSQL's binary COPY format, and sent through Npgsql's raw COPY
/// stream: for columns of the types a load creates (int8, float8, text, varchar, json, bool, date, timestamptz;
/// geometry as EWKB). The bytes are those Npgsql's importer sends for the same values (a test compares the rows
/// both store); what this saves is the importer's per-value converter lookup and binding.
/// </summary>
internal sealed class EncodedTableCopy : TableCopy
{
    // "PGCOPY\n\377\r\n\0", then no flags and no header extension.
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private const int BlockSize = 64 * 1024;
    // PostgreSQL's dates count days from 2000-01-01, its timestamps microseconds from 2000-01-01T00:00Z.
    private static readonly int DayNumber2000 = new DateOnly(2000, 1, 1).DayNumber;
    private static readonly long Ticks2000 = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private enum Encoding { Int8, Float8, Text, Boolean, Date, TimestampTz }

    private readonly NpgsqlRawCopyStream _stream;
    private readonly Encoding _idEncoding;
    private readonly Encoding[] _encodings;
    private readonly short _fieldCount;
    private readonly CopyRowBuffer _buffer = new();
    // The writer Npgsql's NetTopologySuite plugin uses, with its defaults: EWKB, little-endian, the ordinates the geometry has.
    private readonly PostGisWriter _geometryWriter = new();
    private bool _ended;

    private EncodedTableCopy(NpgsqlRawCopyStream stream, PostGisRelation relation, CollectionSchema schema,
        IReadOnlyList<PostGisColumn> columns, long count, long lastId)
        : base(relation, schema, columns, count, lastId)
    {
        _stream = stream;
        _idEncoding = EncodingOf(relation.IdColumn)!.Value;
        _encodings = columns.Select(c => EncodingOf(c)!.Value).ToArray();
        _fieldCount = checked((short)(2 + columns.Count));
        _buffer.Write(Header);
    }

    /// <summary>Whether the id column and <paramref name="columns"/> are all of types this encodes.</summary>
    public static bool Encodes(PostGisRelation relation, IReadOnlyList<PostGisColumn> columns) =>
        EncodingOf(relation.IdColumn) is Encoding.Int8 or Encoding.Text && columns.All(c => EncodingOf(c) is not null);

    private static Encoding? EncodingOf(PostGisColumn column) => column.PgType switch
    {
        "int8" => Encoding.Int8,
        "float8" => Encoding.Float8,
        // json's binary form is its text, as Npgsql sends it.
        "text" or "varchar" or "json" => Encoding.Text,
        "bool" => Encoding.Boolean,
        "date" => Encoding.Date,
        "timestamptz" => Encoding.TimestampTz,
        _ => null,
    };

    public static async Task<TableCopy> BeginAsync(NpgsqlConnection connection, string sql, PostGisRelation relation, CollectionSchema schema,
        IReadOnlyList<PostGisColumn> columns, long count, long lastId, CancellationToken cancellationToken) =>
        new EncodedTableCopy(await connection.BeginRawBinaryCopyAsync(sql, cancellationToken), relation, schema, columns, count, lastId);

    public override ValueTask WriteAsync(FeatureRecord feature, CancellationToken cancellationToken)
    {
        var rowStart = _buffer.Count;
        try
        {
            var id = NextRow(feature);
            _buffer.WriteInt16(_fieldCount);
            WriteField(_idEncoding, Relation.IdColumn, id);
            WriteGeometryField();
            var matched = 0;
            for (var i = 0; i < _encodings.Length; i++)
            {
                if (ValueOf(feature, i, ref matched) is { } value)
                    WriteField(_encodings[i], Columns[i], value);
                else
                    _buffer.WriteInt32(-1);
            }
            CheckAllMatched(feature, matched);
        }
        catch
        {
            // A refused feature leaves no half row behind.
            _buffer.Truncate(rowStart);
            throw;
        }
        return _buffer.Count >= BlockSize ? SendAsync(cancellationToken) : ValueTask.CompletedTask;

        void WriteGeometryField()
        {
            if (StoredGeometry(feature) is not { } geometry)
            {
                _buffer.WriteInt32(-1);
                return;
            }
            var lengthAt = _buffer.Count;
            _buffer.WriteInt32(0);
            _geometryWriter.Write(geometry, _buffer);
            _buffer.EndField(lengthAt);
        }
    }

    /// <summary>A canonical value (see <see cref="TableCopy"/>) as the column's binary field, as Npgsql writes it.</summary>
    private void WriteField(Encoding encoding, PostGisColumn column, object value)
    {
        switch (encoding, value)
        {
            case (Encoding.Int8, long v):
                _buffer.WriteInt32(8);
                _buffer.WriteInt64(v);
                break;
            case (Encoding.Float8, double v):
                _buffer.WriteInt32(8);
                _buffer.WriteInt64(BitConverter.DoubleToInt64Bits(v));
                break;
            case (Encoding.Float8, long v):
                _buffer.WriteInt32(8);
                _buffer.WriteInt64(BitConverter.DoubleToInt64Bits((double)v));
                break;
            case (Encoding.Text, string v):
                _buffer.WriteTextField(v);
                break;
            case (Encoding.Boolean, bool v):
                _buffer.WriteInt32(1);
                _buffer.WriteByte(v ? (byte)1 : (byte)0);
                break;
            case (Encoding.Date, DateOnly v):
                _buffer.WriteInt32(4);
                // Npgsql's infinity conversions: the extreme dates are PostgreSQL's infinities.
                _buffer.WriteInt32(v == DateOnly.MaxValue ? int.MaxValue : v == DateOnly.MinValue ? int.MinValue : v.DayNumber - DayNumber2000);
                break;
            case (Encoding.TimestampTz, DateTimeOffset v):
                var utc = v.UtcTicks;
                _buffer.WriteInt32(8);
                // Likewise for the extreme instants; sub-microsecond ticks are dropped, not rounded, as Npgsql does.
                _buffer.WriteInt64(utc == DateTime.MaxValue.Ticks ? long.MaxValue : utc == DateTime.MinValue.Ticks ? long.MinValue : (utc - Ticks2000) / 10);
                break;
            default:
                throw PostGisValues.CannotTake(column, value);
        }
    }

    private async ValueTask SendAsync(CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(_buffer.Written, cancellationToken);
        _buffer.Truncate(0);
    }

    public override async Task CompleteAsync(CancellationToken cancellationToken)
    {
        _buffer.WriteInt16(-1);
        await SendAsync(cancellationToken);
        _ended = true;
        // Disposing the raw stream ends the COPY; a row the server refused surfaces here.
        await _stream.DisposeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_ended) return;
        _ended = true;
        try
        {
            await _stream.CancelAsync();
        }
        catch (NpgsqlException)
        {
            // The COPY had already failed (or the connection with it); the transaction rolls back either way.
        }
    }
}
