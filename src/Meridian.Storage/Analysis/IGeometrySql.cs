using Meridian.Storage.Filtering;
using Meridian.Storage.Schema;

namespace Meridian.Storage.Analysis;

/// <summary>
/// An ability of a store that speaks spatial SQL: a buffer and/or dissolve of one of its own collections written
/// into a new collection of the same store by one <c>INSERT … SELECT</c>, so that the features never leave the
/// database. Processes use it when it applies and fall back to NetTopologySuite otherwise.
/// </summary>
public interface IGeometrySql
{
    /// <summary>Whether <paramref name="source"/> is a collection of this store (and so can be read by its SQL).</summary>
    bool Owns(IFeatureCollection source);

    /// <summary>
    /// Creates <c>operation.Target</c> and fills it in one transaction: nothing is left behind on failure. Throws
    /// <see cref="Writing.StoreConflictException"/> when the target exists. Returns the number of features written.
    /// </summary>
    Task<long> RunAsync(GeometrySqlOperation operation, CancellationToken cancellationToken);
}

/// <param name="Source">A collection of the store (see <see cref="IGeometrySql.Owns"/>).</param>
/// <param name="Filter">A CQL2 filter bound to the source's schema, or null for every feature.</param>
/// <param name="BufferMetres">When set, each geometry is first buffered by this geodesic distance in metres.</param>
/// <param name="Dissolve">Union the geometries: into one, or one per value of <paramref name="DissolveBy"/>.</param>
/// <param name="Target">
/// The new collection, in CRS84: without dissolve its properties are copied from the source's of the same name;
/// with <paramref name="DissolveBy"/> it has that one property.
/// </param>
public sealed record GeometrySqlOperation(
    IFeatureCollection Source, Filter? Filter, double? BufferMetres, bool Dissolve, string? DissolveBy, CollectionSchema Target);

/// <summary>The database could not compute the geometries (a GEOS error on the input's geometries); nothing was written.</summary>
public sealed class GeometryOperationException(string message, Exception? inner = null) : Exception(message, inner);
