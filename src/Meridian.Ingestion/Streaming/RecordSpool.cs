using System.Runtime.CompilerServices;
using System.Text;
using Meridian.Ingestion.Formats;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Meridian.Ingestion.Streaming;

/// <summary>
/// The records the first pass of an ingest accepted (validated, repaired, transformed), kept in a temporary file in a
/// compact binary form so that the load reads them back instead of parsing the source file a second time. The
/// geometry is WKB, the values are tagged by type, property names are written once and then referred to by number.
/// The file is deleted when the spool is disposed, whether the ingest succeeded, failed or was cancelled.
/// </summary>
internal sealed class RecordSpool : IAsyncDisposable
{
    private const int BufferBytes = 1024 * 1024;

    private enum Tag : byte
    {
        Null, False, True, Integer, Number, Text, Json, Date, DateTime, NewName,
    }

    private readonly FileStream _file;
    private readonly BinaryWriter _writer;
    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
    // By the ordinates a geometry has (XY, XYZ, XYM, XYZM): WKBWriter writes what it is told to, NaN when a
    // coordinate has no such ordinate, and a Z of NaN would make the store see a 3D geometry. The SRID is the store's.
    private readonly WKBWriter[] _wkb =
    [
        new(ByteOrder.LittleEndian, handleSRID: false, emitZ: false, emitM: false),
        new(ByteOrder.LittleEndian, handleSRID: false, emitZ: true, emitM: false),
        new(ByteOrder.LittleEndian, handleSRID: false, emitZ: false, emitM: true),
        new(ByteOrder.LittleEndian, handleSRID: false, emitZ: true, emitM: true),
    ];
    private bool _reading;

    public RecordSpool(string? directory = null)
    {
        Path = System.IO.Path.Combine(directory ?? System.IO.Path.GetTempPath(), $"meridian-ingest-{Guid.NewGuid():N}.spool");
        _file = new FileStream(Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferBytes, FileOptions.DeleteOnClose);
        _writer = new BinaryWriter(_file, Encoding.UTF8, leaveOpen: true);
    }

    /// <summary>Where the spool lives until it is disposed (tests check that it is gone).</summary>
    public string Path { get; }

    public long Count { get; private set; }

    public void Add(SourceFeature feature)
    {
        if (_reading) throw new InvalidOperationException("the spool is being read: no more records can be added.");
        _writer.Write7BitEncodedInt64(feature.Record);
        WriteText(feature.Id);
        if (feature.Geometry is null)
        {
            _writer.Write7BitEncodedInt(0);
        }
        else
        {
            var ordinates = new OrdinatesPresent();
            feature.Geometry.Apply(ordinates);
            var wkb = _wkb[(ordinates.Z ? 1 : 0) + (ordinates.M ? 2 : 0)].Write(feature.Geometry);
            _writer.Write7BitEncodedInt(wkb.Length + 1);
            _writer.Write(wkb);
        }
        _writer.Write7BitEncodedInt(feature.Properties.Count);
        foreach (var (name, value) in feature.Properties)
        {
            if (_names.TryGetValue(name, out var number))
            {
                _writer.Write7BitEncodedInt(number + 1);
            }
            else
            {
                // A name's first appearance (0): its number is the next one, which the reader assigns in the same order.
                _writer.Write7BitEncodedInt(0);
                _writer.Write(name);
                _names.Add(name, _names.Count);
            }
            WriteValue(name, value);
        }
        Count++;
    }

    private void WriteValue(string name, object? value)
    {
        switch (value)
        {
            case null: _writer.Write((byte)Tag.Null); break;
            case bool b: _writer.Write((byte)(b ? Tag.True : Tag.False)); break;
            case long l: _writer.Write((byte)Tag.Integer); _writer.Write7BitEncodedInt64(l); break;
            case double d: _writer.Write((byte)Tag.Number); _writer.Write(d); break;
            case string s: _writer.Write((byte)Tag.Text); _writer.Write(s); break;
            case RawJson json: _writer.Write((byte)Tag.Json); _writer.Write(json.Json); break;
            case DateOnly date: _writer.Write((byte)Tag.Date); _writer.Write(date.DayNumber); break;
            case DateTimeOffset time:
                _writer.Write((byte)Tag.DateTime);
                _writer.Write(time.UtcTicks);
                _writer.Write((short)time.Offset.TotalMinutes);
                break;
            default:
                // SourceFeature.Properties names the types a format may yield; another one is a reader's bug.
                throw new InvalidOperationException($"property '{name}' holds a {value.GetType().Name}, which SourceFeature does not allow.");
        }
    }

    private void WriteText(string? text)
    {
        _writer.Write(text is not null);
        if (text is not null) _writer.Write(text);
    }

    /// <summary>The records in the order they were added. Once reading has begun, nothing more can be added.</summary>
    public async IAsyncEnumerable<SourceFeature> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!_reading)
        {
            _reading = true;
            _writer.Flush();
        }
        await _file.FlushAsync(cancellationToken);
        _file.Position = 0;
        using var reader = new BinaryReader(_file, Encoding.UTF8, leaveOpen: true);
        var wkb = new WKBReader(GeometryServices.Factory.GeometryServices);
        var names = new List<string>();
        for (long i = 0; i < Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return ReadRecord(reader, wkb, names);
        }
    }

    private static SourceFeature ReadRecord(BinaryReader reader, WKBReader wkb, List<string> names)
    {
        var record = reader.Read7BitEncodedInt64();
        var id = reader.ReadBoolean() ? reader.ReadString() : null;
        var wkbLength = reader.Read7BitEncodedInt() - 1;
        var geometry = wkbLength < 0 ? null : wkb.Read(reader.ReadBytes(wkbLength));
        var count = reader.Read7BitEncodedInt();
        var properties = new List<KeyValuePair<string, object?>>(count);
        for (var p = 0; p < count; p++)
        {
            var number = reader.Read7BitEncodedInt();
            string name;
            if (number == 0)
            {
                name = reader.ReadString();
                names.Add(name);
            }
            else
            {
                name = names[number - 1];
            }
            properties.Add(new(name, ReadValue(reader)));
        }
        return new SourceFeature(record, id, geometry, properties);
    }

    private static object? ReadValue(BinaryReader reader) => (Tag)reader.ReadByte() switch
    {
        Tag.Null => null,
        Tag.False => false,
        Tag.True => true,
        Tag.Integer => reader.Read7BitEncodedInt64(),
        Tag.Number => reader.ReadDouble(),
        Tag.Text => reader.ReadString(),
        Tag.Json => new RawJson(reader.ReadString()),
        Tag.Date => DateOnly.FromDayNumber(reader.ReadInt32()),
        Tag.DateTime => new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(reader.ReadInt16())),
        var tag => throw new InvalidDataException($"the spool holds the unknown value tag {(byte)tag}."),
    };

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        // DeleteOnClose removes the file.
        await _file.DisposeAsync();
    }

    /// <summary>Whether any coordinate of a geometry has a Z or an M value (not NaN).</summary>
    private sealed class OrdinatesPresent : IEntireCoordinateSequenceFilter
    {
        public bool Z { get; private set; }

        public bool M { get; private set; }

        public bool Done => false;

        public bool GeometryChanged => false;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count && (seq.HasZ && !Z || seq.HasM && !M); i++)
            {
                Z |= seq.HasZ && !double.IsNaN(seq.GetZ(i));
                M |= seq.HasM && !double.IsNaN(seq.GetM(i));
            }
        }
    }
}
