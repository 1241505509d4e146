using System.Globalization;
using Meridian.Storage.Jobs;
using Microsoft.Data.Sqlite;
using static Meridian.Sqlite.SqliteCommands;

namespace Meridian.Storage.GeoPackage.Jobs;

/// <summary>
/// The embedded job store: one SQLite file (WAL, so readers never wait for the worker's writes). Claims are
/// single UPDATE statements, which SQLite runs one at a time, so two workers never get the same job.
/// </summary>
public sealed class SqliteJobStore : IJobStore
{
    private readonly string _connectionString;

    public SqliteJobStore(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS jobs (
                id TEXT PRIMARY KEY, type TEXT NOT NULL, status TEXT NOT NULL, inputs TEXT NOT NULL,
                idempotency_key TEXT UNIQUE, message TEXT, percent INTEGER, details TEXT, results TEXT,
                attempts INTEGER NOT NULL DEFAULT 0, worker TEXT, lease_until INTEGER,
                created INTEGER NOT NULL, started INTEGER, finished INTEGER, updated INTEGER NOT NULL, owner TEXT,
                started_by_admin INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS jobs_queue ON jobs (status, created);
            """);
        // A file made before jobs had owners (or admins' jobs were told apart): its jobs stay public, run as no admin.
        AddColumnIfMissing(connection, "owner", "TEXT");
        AddColumnIfMissing(connection, "started_by_admin", "INTEGER NOT NULL DEFAULT 0");
    }

    private static void AddColumnIfMissing(SqliteConnection connection, string name, string definition)
    {
        using var columns = Command(connection, "SELECT count(*) FROM pragma_table_info('jobs') WHERE name = $name", ("$name", name));
        if (Convert.ToInt64(columns.ExecuteScalar(), CultureInfo.InvariantCulture) == 0) Execute(connection, $"ALTER TABLE jobs ADD COLUMN {name} {definition}");
    }

    public Task<(JobRecord Job, bool Created)> CreateAsync(NewJob job, CancellationToken cancellationToken)
    {
        using var connection = Open();
        var now = Now();
        var id = Guid.NewGuid().ToString("N");
        // ON CONFLICT DO NOTHING keeps the first job with a key; the SELECT below then finds whichever exists.
        var inserted = Execute(connection, """
            INSERT INTO jobs (id, type, status, inputs, idempotency_key, created, updated, owner, started_by_admin)
            VALUES ($id, $type, 'accepted', $inputs, $key, $now, $now, $owner, $admin) ON CONFLICT (idempotency_key) DO NOTHING
            """, ("$id", id), ("$type", job.Type), ("$inputs", job.Inputs), ("$key", job.StoredIdempotencyKey), ("$now", now), ("$owner", job.Owner),
            ("$admin", job.StartedByAdmin));
        var existing = inserted == 1 ? Find(connection, "id = $v", id) : Find(connection, "idempotency_key = $v", job.StoredIdempotencyKey!);
        return Task.FromResult((existing!, inserted == 1));
    }

    public Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        using var connection = Open();
        return Task.FromResult(Find(connection, "id = $v", id));
    }

    public Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        var conditions = new List<string> { "1 = 1" };
        var parameters = new List<(string, object?)> { ("$limit", query.Limit), ("$offset", query.Offset), ("$now", Now()) };
        void Where(string condition, params (string Name, object? Value)[] values)
        {
            conditions.Add(condition);
            parameters.AddRange(values);
        }
        if (query.Types is { } types) Where(In("type", "$type", types.ToList(), parameters));
        if (query.Statuses is { } statuses) Where(In("status", "$status", statuses.Select(Name).ToList(), parameters));
        if (query.Created?.Start is { } from) Where("created >= $from", ("$from", from.ToUnixTimeMilliseconds()));
        if (query.Created?.End is { } to) Where("created <= $to", ("$to", to.ToUnixTimeMilliseconds()));
        // A duration runs from the start to the end, or to now while the job runs; a job never started has none.
        const string duration = "(coalesce(finished, $now) - started)";
        if (query.MinDuration is { } min) Where($"started IS NOT NULL AND {duration} >= $min", ("$min", (long)min.TotalMilliseconds));
        if (query.MaxDuration is { } max) Where($"started IS NOT NULL AND {duration} <= $max", ("$max", (long)max.TotalMilliseconds));
        if (query.Visibility is { } visibility) Where("(owner IS NULL OR owner = $owner)", ("$owner", visibility.Tenant));
        using var connection = Open();
        using var command = Command(connection, $"""
            SELECT {Columns} FROM jobs WHERE {string.Join(" AND ", conditions)}
            ORDER BY created DESC, rowid DESC LIMIT $limit OFFSET $offset
            """, [.. parameters]);
        return Task.FromResult<IReadOnlyList<JobRecord>>(ReadAll(command));
    }

    /// <summary>"column IN ($p0, $p1, …)", adding one bound parameter per value.</summary>
    private static string In(string column, string prefix, IReadOnlyList<string> values, List<(string, object?)> parameters)
    {
        parameters.AddRange(values.Select((v, i) => ($"{prefix}{i}", (object?)v)));
        return $"{column} IN ({string.Join(", ", values.Select((_, i) => $"{prefix}{i}"))})";
    }

    public Task<JobRecord?> ClaimAsync(IReadOnlyCollection<string> types, string workerId, TimeSpan lease, TimeSpan acceptedFor, CancellationToken cancellationToken) =>
        Task.FromResult(Claim(null, acceptedFor, types, workerId, lease));

    public Task<JobRecord?> ClaimByIdAsync(string id, IReadOnlyCollection<string> types, string workerId, TimeSpan lease, CancellationToken cancellationToken) =>
        Task.FromResult(Claim(id, TimeSpan.Zero, types, workerId, lease));

    /// <summary>
    /// Moves the oldest claimable job (or job <paramref name="id"/>) to running in one UPDATE, so two workers never both
    /// get it; an accepted job only once it is <paramref name="acceptedFor"/> old.
    /// </summary>
    private JobRecord? Claim(string? id, TimeSpan acceptedFor, IReadOnlyCollection<string> types, string workerId, TimeSpan lease)
    {
        if (types.Count == 0) return null;
        using var connection = Open();
        var now = Now();
        var typeList = string.Join(", ", types.Select((_, i) => $"$t{i}"));
        var parameters = new List<(string, object?)>
        {
            ("$worker", workerId), ("$now", now), ("$until", now + (long)lease.TotalMilliseconds), ("$id", id),
            ("$acceptedBefore", now - (long)acceptedFor.TotalMilliseconds),
        };
        parameters.AddRange(types.Select((t, i) => ($"$t{i}", (object?)t)));
        using var command = Command(connection, $"""
            UPDATE jobs SET status = 'running', worker = $worker, lease_until = $until, attempts = attempts + 1,
                started = coalesce(started, $now), updated = $now
            WHERE id = (SELECT id FROM jobs WHERE type IN ({typeList}) AND ($id IS NULL OR id = $id)
                AND ((status = 'accepted' AND created <= $acceptedBefore) OR (status = 'running' AND lease_until < $now))
                ORDER BY created, rowid LIMIT 1)
            RETURNING {Columns}
            """, [.. parameters]);
        return ReadAll(command).FirstOrDefault();
    }

    public Task<bool> ReportAsync(string id, string workerId, JobProgress progress, TimeSpan lease, CancellationToken cancellationToken)
    {
        using var connection = Open();
        var now = Now();
        var changed = Execute(connection, """
            UPDATE jobs SET message = $message, percent = $percent, details = $details, lease_until = $until, updated = $now
            WHERE id = $id AND worker = $worker AND status = 'running'
            """, ("$message", progress.Message), ("$percent", progress.Percent), ("$details", progress.Details),
            ("$until", now + (long)lease.TotalMilliseconds), ("$now", now), ("$id", id), ("$worker", workerId));
        return Task.FromResult(changed == 1);
    }

    /// <summary>The worker is cleared, so its late heartbeats change nothing; a lease until 0 has expired whatever the clock.</summary>
    public Task<bool> ReleaseAsync(string id, string workerId, CancellationToken cancellationToken)
    {
        using var connection = Open();
        var changed = Execute(connection, """
            UPDATE jobs SET worker = NULL, lease_until = 0, updated = $now
            WHERE id = $id AND worker = $worker AND status = 'running'
            """, ("$now", Now()), ("$id", id), ("$worker", workerId));
        return Task.FromResult(changed == 1);
    }

    public Task<bool> FinishAsync(string id, string workerId, JobOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Status is not (JobStatus.Successful or JobStatus.Failed))
            throw new ArgumentException("A job finishes as successful or failed.", nameof(outcome));
        using var connection = Open();
        var now = Now();
        var changed = Execute(connection, """
            UPDATE jobs SET status = $status, message = $message, results = $results, percent = CASE WHEN $status = 'successful' THEN 100 ELSE percent END,
                lease_until = NULL, finished = $now, updated = $now
            WHERE id = $id AND worker = $worker AND status = 'running'
            """, ("$status", Name(outcome.Status)), ("$message", outcome.Message), ("$results", outcome.Results), ("$now", now),
            ("$id", id), ("$worker", workerId));
        return Task.FromResult(changed == 1);
    }

    public Task<JobStatus?> DismissAsync(string id, CancellationToken cancellationToken)
    {
        using var connection = Open();
        // IMMEDIATE (Microsoft.Data.Sqlite's default): no claim or finish slips between reading the status and changing it.
        using var transaction = connection.BeginTransaction();
        using var read = Command(connection, "SELECT status FROM jobs WHERE id = $id AND status <> 'dismissed'", ("$id", id));
        if (read.ExecuteScalar() is not string was) return Task.FromResult<JobStatus?>(null);
        Execute(connection, """
            UPDATE jobs SET status = 'dismissed', message = 'dismissed by request', results = NULL, lease_until = NULL,
                finished = coalesce(finished, $now), updated = $now
            WHERE id = $id
            """, ("$now", Now()), ("$id", id));
        transaction.Commit();
        return Task.FromResult<JobStatus?>(Enum.Parse<JobStatus>(was, ignoreCase: true));
    }

    private const string Columns =
        "id, type, status, inputs, idempotency_key, message, percent, details, results, attempts, created, started, finished, updated, owner, started_by_admin";

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static JobRecord? Find(SqliteConnection connection, string condition, string value)
    {
        using var command = Command(connection, $"SELECT {Columns} FROM jobs WHERE {condition}", ("$v", value));
        return ReadAll(command).FirstOrDefault();
    }

    private static List<JobRecord> ReadAll(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var jobs = new List<JobRecord>();
        while (reader.Read())
        {
            jobs.Add(new JobRecord(
                reader.GetString(0), reader.GetString(1), Enum.Parse<JobStatus>(reader.GetString(2), ignoreCase: true), reader.GetString(3),
                Text(reader, 4), Text(reader, 5), reader.IsDBNull(6) ? null : reader.GetInt32(6), Text(reader, 7), Text(reader, 8),
                reader.GetInt32(9), Time(reader.GetInt64(10)), OptionalTime(reader, 11), OptionalTime(reader, 12), Time(reader.GetInt64(13)), Text(reader, 14),
                reader.GetBoolean(15)));
        }
        return jobs;
    }

    private static string? Text(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    private static DateTimeOffset? OptionalTime(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : Time(reader.GetInt64(i));

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static string Name(JobStatus status) => status.ToString().ToLower(CultureInfo.InvariantCulture);
}
