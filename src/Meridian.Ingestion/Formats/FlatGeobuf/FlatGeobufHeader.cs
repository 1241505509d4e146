namespace Meridian.Ingestion.Formats.FlatGeobuf;

/// <summary>What a FlatGeobuf header says (src/fbs/header.fbs of the specification), as far as reading needs it.</summary>
internal sealed record FlatGeobufHeader(string? Name, FlatGeobufGeometryType GeometryType, bool HasZ, IReadOnlyList<FlatGeobufColumn> Columns,
    ulong FeaturesCount, ushort IndexNodeSize, SourceCrs? Crs)
{
    // Field indexes of table Header.
    private const int NameField = 0, GeometryTypeField = 2, HasZField = 3, ColumnsField = 7, FeaturesCountField = 8, IndexNodeSizeField = 9, CrsField = 10;

    // Field indexes of table Crs.
    private const int CrsOrgField = 0, CrsCodeField = 1, CrsWktField = 4;

    /// <summary>The bytes one entry of the packed R-tree takes: a box of four doubles and a 64-bit offset.</summary>
    private const int IndexNodeBytes = 40;

    public static FlatGeobufHeader Read(byte[] buffer)
    {
        var header = FlatBufferTable.Root(buffer);
        return new FlatGeobufHeader(
            header.String(NameField),
            (FlatGeobufGeometryType)header.Byte(GeometryTypeField),
            header.Bool(HasZField),
            FlatGeobufColumn.ReadAll(header, ColumnsField),
            header.UInt64(FeaturesCountField),
            header.UInt16(IndexNodeSizeField, fallback: 16),
            header.Table(CrsField) is { } crs ? ReadCrs(crs) : null);
    }

    /// <summary>EPSG when the organisation is EPSG (or absent, which the specification says means EPSG) and a code is given; else the WKT.</summary>
    private static SourceCrs? ReadCrs(FlatBufferTable crs)
    {
        var organization = crs.String(CrsOrgField);
        var code = crs.Int32(CrsCodeField);
        if ((organization is null || organization.Equals("EPSG", StringComparison.OrdinalIgnoreCase)) && code > 0) return SourceCrs.FromEpsg(code);
        return crs.String(CrsWktField) is { Length: > 0 } wkt ? SourceCrs.FromWkt(wkt) : null;
    }

    /// <summary>The size of the packed Hilbert R-tree that follows the header, which a sequential read skips.</summary>
    public long IndexBytes()
    {
        if (IndexNodeSize == 0 || FeaturesCount == 0) return 0;
        var nodeSize = Math.Max((ulong)IndexNodeSize, 2);
        var levelCount = FeaturesCount;
        var nodes = levelCount;
        do
        {
            levelCount = (levelCount + nodeSize - 1) / nodeSize;
            nodes += levelCount;
        }
        while (levelCount != 1);
        return nodes > long.MaxValue / IndexNodeBytes ? long.MaxValue : (long)nodes * IndexNodeBytes;
    }
}

/// <summary>An attribute column (table Column).</summary>
internal sealed record FlatGeobufColumn(string Name, FlatGeobufColumnType Type)
{
    public static List<FlatGeobufColumn> ReadAll(FlatBufferTable table, int field) =>
        table.Tables(field).Select(c => new FlatGeobufColumn(c.String(0) ?? throw new InvalidDataException("a column has no name."), (FlatGeobufColumnType)c.Byte(1))).ToList();
}

internal enum FlatGeobufGeometryType : byte
{
    Unknown = 0, Point = 1, LineString = 2, Polygon = 3, MultiPoint = 4, MultiLineString = 5, MultiPolygon = 6, GeometryCollection = 7,
}

internal enum FlatGeobufColumnType : byte
{
    Byte, UByte, Bool, Short, UShort, Int, UInt, Long, ULong, Float, Double, String, Json, DateTime, Binary,
}
