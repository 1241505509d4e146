using System.Net;
using Meridian.Hosting.Analytics;

namespace Meridian.Analytics.Tests;

/// <summary>Events as the hooks make them, for the tests.</summary>
internal static class Events
{
    public static AnalyticsEvent Request(DateTime time, string route, int status, double durationMs = 10, string? collection = null, string? tenant = null,
        long? bytes = 100, string method = "GET") => new()
    {
        Kind = AnalyticsEventKind.Request, Time = time, Method = method, Route = route, Status = status, DurationMs = durationMs,
        Collection = collection, Tenant = tenant, Bytes = bytes, Client = IPAddress.Parse("192.0.2.77"), KeyId = tenant is null ? null : "k1",
    };

    public static AnalyticsEvent Job(DateTime time, string process, string outcome, double durationMs) => new()
    {
        Kind = AnalyticsEventKind.Job, Time = time, ProcessId = process, JobId = Guid.NewGuid().ToString("N"), Outcome = outcome, DurationMs = durationMs,
    };

    public static AnalyticsEvent Ingest(DateTime time, string collection, long loaded, long rejected) => new()
    {
        Kind = AnalyticsEventKind.Ingest, Time = time, Collection = collection, Outcome = "successful", Format = "geojson", FeaturesRead = loaded + rejected,
        FeaturesLoaded = loaded, FeaturesRejected = rejected, Bytes = 1000, DurationMs = 50,
    };

    public static DateTime Utc(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, DateTimeKind.Utc);
}
