using Meridian.Storage.Schema;
using Meridian.Storage.Writing;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>Creates and drops the tables of collections, each in one transaction, with the loader's naming and layout rules.</summary>
internal sealed class PostGisCollectionDdl(NpgsqlDataSource dataSource)
{
    public async Task CreateAsync(CollectionSchema schema, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (schemaName, tableName) = await FeatureLoader.ResolveNameAsync(connection, schema.Id, cancellationToken);
        try
        {
            await FeatureLoader.CreateAsync(connection, schemaName, tableName, schema, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateTable)
        {
            throw new StoreConflictException($"'{schema.Id}' exists in the database.", e);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Drops the table of a published collection; false when there is none (views and other relations are never dropped).</summary>
    public async Task<bool> DropAsync(string collectionId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (schemaName, tableName) = await FeatureLoader.ResolveNameAsync(connection, collectionId, cancellationToken);
        var relation = await FeatureLoader.FindAsync(connection, schemaName, tableName, collectionId, cancellationToken);
        if (relation is null) return false;
        try
        {
            await using var drop = new NpgsqlCommand($"DROP TABLE {relation.QuotedName}", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DependentObjectsStillExist)
        {
            throw new StoreConflictException($"'{collectionId}' cannot be dropped: {e.MessageText}", e);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
