namespace Meridian.Storage.Tiles;

/// <summary>
/// An optional ability of a collection: it makes Mapbox vector tiles (MVT 2.1) itself, so that tiles are cut
/// where the data lives (the database's own MVT functions, or the embedded store's spatial index).
/// </summary>
/// <remarks>
/// Every store encodes alike: one layer named after the collection id; the feature id is the collection's
/// integer id (text ids are left out); geometries are clipped to the buffered tile and snapped to the grid,
/// features that vanish doing so are dropped, and a geometry collection keeps its highest-dimension parts;
/// properties are strings, 64-bit integers, doubles and booleans, with dates as <c>yyyy-MM-dd</c>, timestamps
/// as UTC <c>yyyy-MM-ddTHH:mm:ssZ</c>, other types as text, and nulls left out.
/// </remarks>
public interface IVectorTileSource
{
    /// <summary>The encoded tile, or an empty array when no feature falls inside it.</summary>
    Task<byte[]> GetTileAsync(TileRequest request, CancellationToken cancellationToken);
}
