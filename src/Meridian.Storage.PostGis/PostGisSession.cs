using System.Data;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>
/// A pooled connection for one read or write, in a transaction or not, which it ends (rolled back unless committed) and
/// gives back.
/// </summary>
/// <remarks>
/// A connection given back after a statement on it failed on the server first forgets the statements Npgsql prepared on
/// it. Npgsql auto-prepares a statement text (MaxAutoPrepare) on its fifth use on a connection; when that use fails in
/// Bind (PostgreSQL folds a filter's literal parameters while planning: <c>1e308 / 1e-308</c> overflows), Npgsql 10.0.3
/// keeps a prepared statement the next use of that text cannot read, which fails with "Received unexpected backend
/// message DataRow" (npgsql/npgsql#6391; PostGisConnectionReuseTests). Forgetting every prepared statement after any
/// server error — Npgsql's bookkeeping and the server's, one DEALLOCATE ALL — puts both sides back in step whatever
/// the error was, for reads, counts, tiles, writes and jobs alike. It costs re-preparing the hot statements on that one
/// connection, and only after an error: the hot path is unchanged. Not auto-preparing statements that carry a user's
/// filter would need a second pool (Npgsql cannot exempt one command), and disabling auto-prepare would give up the
/// planning it saves on every item page (bench/RESULTS.md); clearing the pool would let one bad filter reset every
/// connection.
/// </remarks>
internal sealed class PostGisSession : IAsyncDisposable
{
    private readonly NpgsqlTransaction? _transaction;
    private bool _failed;

    private PostGisSession(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        Connection = connection;
        _transaction = transaction;
    }

    public NpgsqlConnection Connection { get; }

    public static async Task<PostGisSession> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        new(await dataSource.OpenConnectionAsync(cancellationToken), null);

    /// <summary>
    /// A transaction every statement of which reads one snapshot of the database (REPEATABLE READ, for a page and its
    /// count), or a write's (the server's default level, <see cref="IsolationLevel.Unspecified"/>), which <see cref="CommitAsync"/> commits.
    /// </summary>
    public static async Task<PostGisSession> BeginAsync(NpgsqlDataSource dataSource, IsolationLevel isolation, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return new PostGisSession(connection, await connection.BeginTransactionAsync(isolation, cancellationToken));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public NpgsqlCommand CreateCommand(string? sql = null) => new(sql) { Connection = Connection, Transaction = _transaction };

    public Task CommitAsync(CancellationToken cancellationToken) =>
        (_transaction ?? throw new InvalidOperationException("The session has no transaction.")).CommitAsync(cancellationToken);

    public Task<NpgsqlDataReader> ExecuteReaderAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        RunAsync(command.ExecuteReaderAsync(cancellationToken));

    public Task<object?> ExecuteScalarAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        RunAsync(command.ExecuteScalarAsync(cancellationToken));

    public Task<int> ExecuteNonQueryAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        RunAsync(command.ExecuteNonQueryAsync(cancellationToken));

    private async Task<T> RunAsync<T>(Task<T> statement)
    {
        try
        {
            return await statement;
        }
        catch (PostgresException)
        {
            StatementFailed();
            throw;
        }
    }

    /// <summary>Notes that a statement failed on the server (also while its rows were read): see the remarks.</summary>
    public void StatementFailed() => _failed = true;

    public async ValueTask DisposeAsync()
    {
        try
        {
            // The transaction ends first: an aborted one would refuse DEALLOCATE.
            if (_transaction is not null) await _transaction.DisposeAsync();
            if (_failed && Connection.State == ConnectionState.Open) Connection.UnprepareAll();
        }
        catch (NpgsqlException)
        {
            // A connection that cannot even roll back or deallocate is broken, and Npgsql does not pool a broken connection.
        }
        finally
        {
            await Connection.DisposeAsync();
        }
    }
}
