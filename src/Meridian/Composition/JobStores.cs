using Meridian.Hosting.Configuration;
using Meridian.Storage.GeoPackage.Jobs;
using Meridian.Storage.Jobs;
using Meridian.Storage.PostGis.Jobs;

namespace Meridian.Composition;

/// <summary>
/// The job store: PostgreSQL when the process has a database (so every replica and worker shares the jobs),
/// else a SQLite file under the data directory.
/// </summary>
internal static class JobStores
{
    public static IJobStore Create(MeridianOptions options) =>
        string.IsNullOrWhiteSpace(options.PostGis.ConnectionString)
            ? new SqliteJobStore(Path.Combine(options.Data, "jobs.db"))
            : new PostgresJobStore(options.PostGis.ConnectionString);
}
