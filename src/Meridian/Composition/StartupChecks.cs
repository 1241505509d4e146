using Amazon.S3;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Meridian.Composition;

/// <summary>
/// Asks every store the roles use once, before serving (the readiness checks of <c>/ready</c>). A store that refuses
/// what the settings tell it (a login refused, a role or database that does not exist, a missing bucket, refused S3
/// credentials) will refuse it on every retry: the process stops naming the setting, as for any invalid setting. A store
/// that is only unreachable may come back (a database starting at the same time): it is logged, <c>/ready</c> says so,
/// and the process serves on.
/// </summary>
internal static partial class StartupChecks
{
    public static async Task RunAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var report = await StoreReadiness.CheckAtStartupAsync(app.Services, cancellationToken);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupChecks));
        var refusals = new List<string>();
        foreach (var (check, entry) in report.Entries)
        {
            if (entry.Status == HealthStatus.Healthy) continue;
            // The check's description names the store (its kind and location), which the log is for.
            var store = entry.Description is { } target ? $"{target} ({check})" : check;
            var reason = entry.Exception?.Message ?? "no answer";
            if (entry.Exception is { } e && SettingRefused(e) is { } setting) refusals.Add($"{setting}: {store} refused it: {reason}");
            else LogUnavailable(logger, store, reason);
        }
        if (refusals.Count > 0) throw new OptionsException(refusals);
    }

    /// <summary>The setting an answer proves wrong, or null when the store may yet answer (unreachable, busy, starting).</summary>
    private static string? SettingRefused(Exception exception) => exception switch
    {
        // Class 28: invalid authorization (a wrong password, an unknown role); 3D000: no such database.
        PostgresException { SqlState: var state } when state.StartsWith("28", StringComparison.Ordinal) || state == PostgresErrorCodes.InvalidCatalogName
            => "Meridian:PostGis:ConnectionString",
        AmazonS3Exception { ErrorCode: "NoSuchBucket" } => "Meridian:Objects:S3:Bucket",
        AmazonS3Exception { ErrorCode: "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "AccessDenied" }
            => "Meridian:Objects:S3:AccessKeyId, SecretAccessKey",
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Store} does not answer at start; serving on, /ready reports it until it does: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string store, string reason);
}
