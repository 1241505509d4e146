using Meridian.Storage.Jobs;
using Npgsql;
using NpgsqlTypes;

namespace Meridian.Storage.PostGis.Jobs;

/// <summary>
/// The distributed job store: a table in PostgreSQL shared by every process. Workers claim with
/// <c>FOR UPDATE SKIP LOCKED</c>, so any number of them take distinct jobs without waiting on each other.
/// </summary>
public sealed class PostgresJobStore : IJobStore, IAsyncDisposable
{
    private const string Columns =
        "id, type, status, inputs, idempotency_key, message, percent, details, results, attempts, created, started, finished, updated, owner, started_by_admin";

    private readonly NpgsqlDataSource _dataSource;
    private readonly Task _schema;

    public PostgresJobStore(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(PostgresConnectionString.ToNpgsql(connectionString));
        // A job's life is the same few statements on every connection: prepared once per connection, they skip
        // parsing and planning. A connection string that sets its own value wins. Each statement runs in a
        // PostGisSession, which makes a connection forget them after a server error (npgsql/npgsql#6391).
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
        // These connections are the store's alone and its statements leave no session state behind, so returning
        // one to the pool need not reset it (DISCARD ALL would also drop the prepared statements).
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        _dataSource = builder.Build();
        _schema = CreateSchemaAsync();
    }

    public async Task<(JobRecord Job, bool Created)> CreateAsync(NewJob job, CancellationToken cancellationToken)
    {
        await _schema;
        await using var session = await PostGisSession.OpenAsync(_dataSource, cancellationToken);
        await using var command = session.CreateCommand($"""
            WITH inserted AS (
                INSERT INTO meridian.jobs (id, type, status, inputs, idempotency_key, owner, started_by_admin)
                VALUES ($1, $2, 'accepted', $3, $4, $5, $6)
                ON CONFLICT (idempotency_key) DO NOTHING RETURNING {Columns}, true AS created)
            SELECT * FROM inserted
            UNION ALL SELECT {Columns}, false FROM meridian.jobs WHERE idempotency_key = $4 AND NOT EXISTS (SELECT FROM inserted)
            """);
        Add(command, Guid.NewGuid().ToString("N"), job.Type, job.Inputs, job.StoredIdempotencyKey, job.Owner, job.StartedByAdmin);
        await using var reader = await session.ExecuteReaderAsync(command, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            throw new InvalidOperationException("The job was neither inserted nor found; retry the request.");
        return (Read(reader), reader.GetBoolean(16));
    }

    public async Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM meridian.jobs WHERE id = $1", cancellationToken, id)).FirstOrDefault();

    public async Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        var conditions = new List<string> { "true" };
        var values = new List<object?> { query.Limit, query.Offset };
        void Where(string condition, object value)
        {
            values.Add(value);
            conditions.Add(condition.Replace("$p", "$" + values.Count, StringComparison.Ordinal));
        }
        if (query.Types is { } types) Where("type = ANY($p)", types.ToArray());
        if (query.Statuses is { } statuses) Where("status = ANY($p)", statuses.Select(s => s.ToString().ToLowerInvariant()).ToArray());
        if (query.Created?.Start is { } from) Where("created >= $p", from.ToUniversalTime());
        if (query.Created?.End is { } to) Where("created <= $p", to.ToUniversalTime());
        // A duration runs from the start to the end, or to now while the job runs; a job never started has none.
        const string duration = "(coalesce(finished, now()) - started)";
        if (query.MinDuration is { } min) Where($"started IS NOT NULL AND {duration} >= $p", min);
        if (query.MaxDuration is { } max) Where($"started IS NOT NULL AND {duration} <= $p", max);
        if (query.Visibility is { Tenant: { } tenant }) Where("(owner IS NULL OR owner = $p)", tenant);
        else if (query.Visibility is not null) conditions.Add("owner IS NULL");
        return await QueryAsync($"""
            SELECT {Columns} FROM meridian.jobs WHERE {string.Join(" AND ", conditions)}
            ORDER BY created DESC, id LIMIT $1 OFFSET $2
            """, cancellationToken, [.. values]);
    }

    public Task<JobRecord?> ClaimAsync(IReadOnlyCollection<string> types, string workerId, TimeSpan lease, TimeSpan acceptedFor, CancellationToken cancellationToken) =>
        ClaimAsync("status = 'accepted' AND created <= now() - $4", "ORDER BY created, id", acceptedFor, types, workerId, lease, cancellationToken);

    public Task<JobRecord?> ClaimByIdAsync(string id, IReadOnlyCollection<string> types, string workerId, TimeSpan lease, CancellationToken cancellationToken) =>
        ClaimAsync("status = 'accepted'", "AND id = $4", id, types, workerId, lease, cancellationToken);

    /// <summary>
    /// Locks the first claimable job (accepted as <paramref name="accepted"/> says, or running with an expired lease) that
    /// <paramref name="pick"/> picks, skipping any another worker is claiming, and moves it to running;
    /// <paramref name="value"/> is their <c>$4</c>. Two statement texts rather than one with an optional id: prepared, a
    /// generic plan of that one could not look the id up by the primary key.
    /// </summary>
    private async Task<JobRecord?> ClaimAsync(string accepted, string pick, object value, IReadOnlyCollection<string> types, string workerId, TimeSpan lease, CancellationToken cancellationToken) =>
        (await QueryAsync($"""
            UPDATE meridian.jobs SET status = 'running', worker = $2, lease_until = now() + $3, attempts = attempts + 1,
                started = coalesce(started, now()), updated = now()
            WHERE id = (SELECT id FROM meridian.jobs WHERE type = ANY($1)
                AND (({accepted}) OR (status = 'running' AND lease_until < now()))
                {pick} LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """, cancellationToken, types.ToArray(), workerId, lease, value)).FirstOrDefault();

    public async Task<bool> ReportAsync(string id, string workerId, JobProgress progress, TimeSpan lease, CancellationToken cancellationToken) =>
        await ExecuteAsync("""
            UPDATE meridian.jobs SET message = $3, percent = $4::integer, details = $5, lease_until = now() + $6, updated = now()
            WHERE id = $1 AND worker = $2 AND status = 'running'
            """, cancellationToken, id, workerId, progress.Message, progress.Percent, progress.Details, lease) == 1;

    /// <summary>The worker is cleared, so its late heartbeats change nothing; a lease until -infinity has expired whatever the clock.</summary>
    public async Task<bool> ReleaseAsync(string id, string workerId, CancellationToken cancellationToken) =>
        await ExecuteAsync("""
            UPDATE meridian.jobs SET worker = NULL, lease_until = '-infinity', updated = now()
            WHERE id = $1 AND worker = $2 AND status = 'running'
            """, cancellationToken, id, workerId) == 1;

    public async Task<bool> FinishAsync(string id, string workerId, JobOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Status is not (JobStatus.Successful or JobStatus.Failed))
            throw new ArgumentException("A job finishes as successful or failed.", nameof(outcome));
        return await ExecuteAsync("""
            UPDATE meridian.jobs SET status = $3, message = $4, results = $5,
                percent = CASE WHEN $3 = 'successful' THEN 100 ELSE percent END, lease_until = NULL, finished = now(), updated = now()
            WHERE id = $1 AND worker = $2 AND status = 'running'
            """, cancellationToken, id, workerId, outcome.Status.ToString().ToLowerInvariant(), outcome.Message, outcome.Results) == 1;
    }

    public async Task<JobStatus?> DismissAsync(string id, CancellationToken cancellationToken)
    {
        await _schema;
        // The row locked first, so the status returned is the one this statement changed (a concurrent dismissal
        // waits, then finds the job dismissed and changes nothing).
        await using var command = _dataSource.CreateCommand("""
            UPDATE meridian.jobs j SET status = 'dismissed', message = 'dismissed by request', results = NULL, lease_until = NULL,
                finished = coalesce(j.finished, now()), updated = now()
            FROM (SELECT id, status FROM meridian.jobs WHERE id = $1 AND status <> 'dismissed' FOR UPDATE) was
            WHERE j.id = was.id
            RETURNING was.status
            """);
        Add(command, id);
        return await command.ExecuteScalarAsync(cancellationToken) is string was ? Enum.Parse<JobStatus>(was, ignoreCase: true) : null;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task CreateSchemaAsync()
    {
        await using var command = _dataSource.CreateCommand("""
            CREATE SCHEMA IF NOT EXISTS meridian;
            CREATE TABLE IF NOT EXISTS meridian.jobs (
                id text PRIMARY KEY, type text NOT NULL, status text NOT NULL, inputs text NOT NULL,
                idempotency_key text UNIQUE, message text, percent integer, details text, results text,
                attempts integer NOT NULL DEFAULT 0, worker text, lease_until timestamptz,
                created timestamptz NOT NULL DEFAULT clock_timestamp(), started timestamptz, finished timestamptz,
                updated timestamptz NOT NULL DEFAULT clock_timestamp(), owner text, started_by_admin boolean NOT NULL DEFAULT false);
            -- A table made before jobs had owners (or admins' jobs were told apart): its jobs stay public, run as no admin.
            ALTER TABLE meridian.jobs ADD COLUMN IF NOT EXISTS owner text;
            ALTER TABLE meridian.jobs ADD COLUMN IF NOT EXISTS started_by_admin boolean NOT NULL DEFAULT false;
            CREATE INDEX IF NOT EXISTS jobs_queue ON meridian.jobs (status, created);
            -- Inputs and results are often tens or hundreds of KB of JSON: lz4 compresses them several times faster
            -- than the default pglz (~0.5 against ~6 ms for 100 KB of results), which every finished job pays. Set
            -- once (tables made before this change too); a server built without lz4 or older than PostgreSQL 14
            -- (no attcompression), or a role that does not own the table, keeps pglz.
            DO $$
            BEGIN
                IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'meridian.jobs'::regclass
                        AND attname IN ('inputs', 'results') AND attcompression IS DISTINCT FROM 'l') THEN
                    ALTER TABLE meridian.jobs ALTER COLUMN inputs SET COMPRESSION lz4, ALTER COLUMN results SET COMPRESSION lz4;
                END IF;
            EXCEPTION WHEN feature_not_supported OR insufficient_privilege OR undefined_column THEN NULL;
            END $$;
            """);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<JobRecord>> QueryAsync(string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await _schema;
        await using var session = await PostGisSession.OpenAsync(_dataSource, cancellationToken);
        await using var command = session.CreateCommand(sql);
        Add(command, values);
        await using var reader = await session.ExecuteReaderAsync(command, cancellationToken);
        var jobs = new List<JobRecord>();
        while (await reader.ReadAsync(cancellationToken)) jobs.Add(Read(reader));
        return jobs;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await _schema;
        await using var session = await PostGisSession.OpenAsync(_dataSource, cancellationToken);
        await using var command = session.CreateCommand(sql);
        Add(command, values);
        return await session.ExecuteNonQueryAsync(command, cancellationToken);
    }

    private static void Add(NpgsqlCommand command, params object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                int i => new NpgsqlParameter { Value = i, NpgsqlDbType = NpgsqlDbType.Integer },
                _ => new NpgsqlParameter { Value = value },
            });
        }
    }

    private static JobRecord Read(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), Enum.Parse<JobStatus>(reader.GetString(2), ignoreCase: true), reader.GetString(3),
        Text(reader, 4), Text(reader, 5), reader.IsDBNull(6) ? null : reader.GetInt32(6), Text(reader, 7), Text(reader, 8),
        reader.GetInt32(9), reader.GetFieldValue<DateTimeOffset>(10), Time(reader, 11), Time(reader, 12), reader.GetFieldValue<DateTimeOffset>(13),
        Text(reader, 14), reader.GetBoolean(15));

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
}
