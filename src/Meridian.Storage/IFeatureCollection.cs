using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Storage;

/// <summary>
/// One collection of a store. Geometries leave the port in the CRS the caller asks for (CRS84, longitude and
/// latitude, unless told otherwise), in that CRS's axis order; extents and query boxes are always CRS84.
/// </summary>
public interface IFeatureCollection
{
    CollectionSchema Schema { get; }

    /// <summary>The CRS84 bounding box of all features, or null when the collection is empty.</summary>
    Task<Envelope?> GetExtentAsync(CancellationToken cancellationToken);

    /// <summary>The first and last value of the temporal property, or null without one.</summary>
    Task<TimeInterval?> GetTemporalExtentAsync(CancellationToken cancellationToken);

    /// <summary>How many features match the query, ignoring its paging.</summary>
    Task<long> CountAsync(FeatureQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Streams up to <c>query.Limit + 1</c> matching features in ascending id order, starting after (or
    /// ending before) the cursor. The caller disposes the reader.
    /// </summary>
    Task<IFeatureReader> QueryAsync(FeatureQuery query, CancellationToken cancellationToken);

    /// <summary>Opens a reader positioned on nothing that yields the one feature with this id, if any, in <paramref name="crs"/>.</summary>
    Task<IFeatureReader> GetAsync(string featureId, Crs crs, CancellationToken cancellationToken);

    /// <summary>The feature with this id in CRS84.</summary>
    Task<IFeatureReader> GetAsync(string featureId, CancellationToken cancellationToken) => GetAsync(featureId, CrsRegistry.Crs84, cancellationToken);
}
