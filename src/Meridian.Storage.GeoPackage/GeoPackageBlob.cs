using System.Buffers.Binary;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Meridian.Storage.GeoPackage;

/// <summary>
/// Reads and writes GeoPackage geometry blobs (a "GP" header, an optional envelope, then WKB).
/// The header envelope lets a bbox test skip parsing the WKB of most candidates.
/// </summary>
internal static class GeoPackageBlob
{
    // NTS writes XYZM by default, NaN where a geometry has no Z or M: readers would meet NaN heights.
    private static readonly GeoPackageGeoWriter WriterXy = new() { HandleOrdinates = Ordinates.XY };
    private static readonly GeoPackageGeoWriter WriterXyz = new() { HandleOrdinates = Ordinates.XYZ };

    public static Geometry? Read(byte[]? blob, int srid)
    {
        if (blob is null || blob.Length < 8) return null;
        // HandleSRID off: the layer's srs_id is authoritative, blobs from some writers carry 0.
        var geometry = new GeoPackageGeoReader(GeometryServices.Factory.CoordinateSequenceFactory, GeometryServices.Factory.PrecisionModel)
        {
            HandleSRID = false,
        }.Read(blob);
        geometry.SRID = srid;
        return geometry.IsEmpty ? null : geometry;
    }

    /// <summary>The blob of a geometry, with heights only when it has them (judged by its first position, as GeoJSON positions agree).</summary>
    public static byte[] Write(Geometry geometry) =>
        (double.IsFinite(geometry.Coordinate?.Z ?? double.NaN) ? WriterXyz : WriterXy).Write(geometry);

    /// <summary>The envelope stored in the header, or null when the writer left it out (as is usual for points).</summary>
    public static Envelope? HeaderEnvelope(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 8 || blob[0] != (byte)'G' || blob[1] != (byte)'P') return null;
        var flags = blob[3];
        var littleEndian = (flags & 1) == 1;
        var envelopeKind = (flags >> 1) & 7;
        if (envelopeKind == 0 || blob.Length < 8 + 32) return null;
        var header = blob[8..40];
        Span<double> v = stackalloc double[4];
        for (var i = 0; i < 4; i++)
        {
            var bytes = header.Slice(i * 8, 8);
            v[i] = littleEndian ? BinaryPrimitives.ReadDoubleLittleEndian(bytes) : BinaryPrimitives.ReadDoubleBigEndian(bytes);
        }
        // The header stores minx, maxx, miny, maxy: the same order as NTS's Envelope constructor.
        return new Envelope(v[0], v[1], v[2], v[3]);
    }

    /// <summary>Where the WKB starts: after the 8-byte header and the envelope its flags announce (-1 when unusable).</summary>
    public static int WkbOffset(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 8 || blob[0] != (byte)'G' || blob[1] != (byte)'P') return -1;
        var offset = 8 + ((blob[3] >> 1) & 7) switch { 0 => 0, 1 => 32, 2 or 3 => 48, 4 => 64, _ => -1_000 };
        return offset >= 8 && offset <= blob.Length ? offset : -1;
    }

    /// <summary>Whether the blob is the empty geometry (header flag) or unusable.</summary>
    public static bool IsEmpty(ReadOnlySpan<byte> blob) =>
        blob.Length < 8 || blob[0] != (byte)'G' || blob[1] != (byte)'P' || (blob[3] & 0x10) != 0;
}
