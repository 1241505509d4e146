namespace Meridian.Storage;

/// <summary>
/// A collection that can be read whole exactly as it is stored: what a backup, or a copy into another store, needs.
/// The reads of <see cref="IFeatureCollection"/> serve clients: geometries leave them transformed and rounded to the
/// digits worth sending (<c>Crs.Decimals</c>), a page at a time. A copy must lose nothing and see one state of the
/// collection, not pages of different ones.
/// </summary>
public interface IFeatureSnapshotSource
{
    /// <summary>
    /// Opens one reader over every feature, in id order, from a single snapshot (one statement): a write committed
    /// while it reads is wholly in it or wholly not, and a replacement of the collection is seen before or after, never
    /// in part. <see cref="IFeatureReader.ReadGeometry"/> gives each geometry as stored: in the schema's storage SRID, x
    /// east and y north, every digit and every height kept. The caller disposes the reader; stores that keep one writer
    /// per file (SQLite) may hold their writers back until it is disposed.
    /// </summary>
    Task<IFeatureReader> ReadSnapshotAsync(CancellationToken cancellationToken);
}
