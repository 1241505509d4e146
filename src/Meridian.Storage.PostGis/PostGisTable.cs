using Meridian.Storage.Writing;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>A published table: a collection whose features can also be written (views are read-only collections).</summary>
internal sealed class PostGisTable(PostGisRelation relation, NpgsqlDataSource dataSource, ExtentCache extents)
    : PostGisCollection(relation, dataSource, extents), IWritableFeatureCollection
{
    private readonly PostGisFeatureWriter _writer = new(relation, dataSource, extents);

    public Task<string> InsertAsync(FeatureRecord feature, WriteHooks hooks, CancellationToken cancellationToken) =>
        _writer.InsertAsync(feature, hooks, cancellationToken);

    public Task<WriteOutcome> UpdateAsync(string featureId, FeaturePatch patch, WriteHooks hooks, CancellationToken cancellationToken) =>
        _writer.UpdateAsync(featureId, patch, hooks, cancellationToken);

    public Task<WriteOutcome> DeleteAsync(string featureId, WriteHooks hooks, CancellationToken cancellationToken) =>
        _writer.DeleteAsync(featureId, hooks, cancellationToken);
}
