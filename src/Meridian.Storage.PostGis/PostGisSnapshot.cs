using System.Data;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>
/// A REPEATABLE READ transaction on a pooled connection of its own: every statement of it reads one snapshot of the
/// database. Disposing it ends the transaction (nothing was written) and gives the connection back.
/// </summary>
internal sealed class PostGisSnapshot : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private PostGisSnapshot(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<PostGisSnapshot> BeginAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return new PostGisSnapshot(connection, await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public NpgsqlCommand CreateCommand() => new() { Connection = _connection, Transaction = _transaction };

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
