using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Tiles;

/// <summary>
/// One Mapbox vector tile of one collection, as every store must understand it: the tile's square in the
/// tile matrix set's CRS and how to encode what falls inside it. The layer is named after the collection id.
/// </summary>
public sealed record TileRequest
{
    /// <summary>The tile's bounds in the CRS of <see cref="Srid"/>.</summary>
    public required Envelope Bounds { get; init; }

    /// <summary>
    /// The tile matrix set's CRS: <see cref="WebMercator.Srid"/> (WebMercatorQuad) or
    /// <see cref="GeometryServices.Crs84Srid"/>, meaning CRS84 in longitude, latitude order (WorldCRS84Quad).
    /// </summary>
    public required int Srid { get; init; }

    /// <summary>The size of the tile's integer grid: coordinates run from 0 to Extent.</summary>
    public int Extent { get; init; } = 4096;

    /// <summary>How far, in grid units, geometries reach past the tile's edges (so that lines and labels join up).</summary>
    public int Buffer { get; init; } = 64;

    /// <summary>At most this many features go into the tile; which ones is up to the store's index.</summary>
    public int Limit { get; init; } = 10_000;

    /// <summary>The properties to include, by name; null includes every property of the collection.</summary>
    public IReadOnlyList<string>? Properties { get; init; }

    /// <summary>Douglas-Peucker tolerance in the units of <see cref="Srid"/>; 0 only snaps to the grid.</summary>
    public double Tolerance { get; init; }

    /// <summary>The bounds grown by <see cref="Buffer"/> grid units on every side.</summary>
    public Envelope BufferedBounds
    {
        get
        {
            var envelope = new Envelope(Bounds);
            envelope.ExpandBy(Bounds.Width * Buffer / Extent, Bounds.Height * Buffer / Extent);
            return envelope;
        }
    }

    /// <summary>
    /// The schema's properties this tile carries, in the requested order. Throws <see cref="ArgumentException"/>
    /// for a name the collection does not have, or a request the stores cannot serve.
    /// </summary>
    public IReadOnlyList<PropertySchema> SelectProperties(CollectionSchema schema)
    {
        Validate();
        if (Properties is null) return schema.Properties;
        return Properties.Distinct(StringComparer.Ordinal)
            .Select(name => schema.FindProperty(name) ?? throw new ArgumentException($"Collection '{schema.Id}' has no property '{name}'."))
            .ToList();
    }

    private void Validate()
    {
        if (Srid is not (WebMercator.Srid or GeometryServices.Crs84Srid))
            throw new ArgumentException($"Tiles are made in EPSG:3857 or CRS84, not in SRID {Srid}.");
        if (Extent < 1 || Buffer < 0 || Limit < 0 || Tolerance < 0 || !double.IsFinite(Tolerance))
            throw new ArgumentException("A tile needs a positive extent and a non-negative buffer, limit and tolerance.");
        if (Bounds.IsNull || !(Bounds.Width > 0 && Bounds.Height > 0) || !double.IsFinite(Bounds.Width) || !double.IsFinite(Bounds.Height))
            throw new ArgumentException("A tile needs finite bounds with an area.");
    }
}
