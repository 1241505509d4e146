using System.Net;
using System.Net.Sockets;
using Meridian.Hosting.Analytics;
using Parquet;
using Parquet.Schema;

namespace Meridian.Analytics.Writing;

/// <summary>
/// The Parquet schema of the lake and the writing of one file: one row group, a column per field of
/// <see cref="AnalyticsEvent"/>, plus the process that wrote it (<c>role</c>: the roles it runs; <c>instance</c>: its
/// name). Values that repeat (kinds, routes, methods, tenants) dictionary-encode to almost nothing.
/// </summary>
internal static class EventFile
{
    // Milliseconds, not microseconds: Parquet.Net 6.1 writes a microsecond column's min/max statistics in milliseconds,
    // and DuckDB, trusting them, skips row groups that do match a time filter (EventFileTests proves the round trip).
    public static readonly DateTimeDataField Time = new("time", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis);
    public static readonly DataField<string> Kind = new("kind", nullable: false);
    public static readonly DataField<string> Role = new("role", nullable: false);
    public static readonly DataField<string> Instance = new("instance", nullable: false);
    public static readonly DataField<string> Method = new("method", nullable: true);
    public static readonly DataField<string> Route = new("route", nullable: true);
    public static readonly DataField<string> Collection = new("collection", nullable: true);
    public static readonly DataField<string> ProcessId = new("process_id", nullable: true);
    public static readonly DataField<string> JobId = new("job_id", nullable: true);
    public static readonly DataField<int?> Status = new("status");
    public static readonly DataField<string> Outcome = new("outcome", nullable: true);
    public static readonly DataField<double> DurationMs = new("duration_ms");
    public static readonly DataField<long?> Bytes = new("bytes");
    public static readonly DataField<string> Tenant = new("tenant", nullable: true);
    public static readonly DataField<string> KeyId = new("key_id", nullable: true);
    public static readonly DataField<string> ClientNet = new("client_net", nullable: true);
    public static readonly DataField<string> Format = new("format", nullable: true);
    public static readonly DataField<long?> FeaturesRead = new("features_read");
    public static readonly DataField<long?> FeaturesLoaded = new("features_loaded");
    public static readonly DataField<long?> FeaturesRejected = new("features_rejected");

    public static readonly ParquetSchema Schema = new(
        Time, Kind, Role, Instance, Method, Route, Collection, ProcessId, JobId, Status, Outcome, DurationMs, Bytes,
        Tenant, KeyId, ClientNet, Format, FeaturesRead, FeaturesLoaded, FeaturesRejected);

    /// <summary>Writes <paramref name="events"/> as a Parquet file to <paramref name="output"/> (which must be seekable).</summary>
    public static async Task WriteAsync(IReadOnlyList<AnalyticsEvent> events, string role, string instance, Stream output, CancellationToken cancellationToken)
    {
        // Snappy, Parquet's usual codec: Parquet.Net 6.1's Zstd wrote about a hundred times slower (bench/RESULTS.md), which
        // would make the writer a CPU load of its own beside the requests it records.
        await using var writer = await ParquetWriter.CreateAsync(Schema, output, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy },
            cancellationToken: cancellationToken);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync<DateTime>(Time, Column(events, e => e.Time), cancellationToken: cancellationToken);
        await group.WriteAsync(Kind, Strings(events, e => KindName(e.Kind)));
        await group.WriteAsync(Role, Strings(events, _ => role));
        await group.WriteAsync(Instance, Strings(events, _ => instance));
        await group.WriteAsync(Method, Strings(events, e => e.Method));
        await group.WriteAsync(Route, Strings(events, e => e.Route));
        await group.WriteAsync(Collection, Strings(events, e => e.Collection));
        await group.WriteAsync(ProcessId, Strings(events, e => e.ProcessId));
        await group.WriteAsync(JobId, Strings(events, e => e.JobId));
        await group.WriteAsync<int>(Status, Column(events, e => e.Status), cancellationToken: cancellationToken);
        await group.WriteAsync(Outcome, Strings(events, e => e.Outcome));
        await group.WriteAsync<double>(DurationMs, Column(events, e => e.DurationMs), cancellationToken: cancellationToken);
        await group.WriteAsync<long>(Bytes, Column(events, e => e.Bytes), cancellationToken: cancellationToken);
        await group.WriteAsync(Tenant, Strings(events, e => e.Tenant));
        await group.WriteAsync(KeyId, Strings(events, e => e.KeyId));
        await group.WriteAsync(ClientNet, Strings(events, e => Network(e.Client)));
        await group.WriteAsync(Format, Strings(events, e => e.Format));
        await group.WriteAsync<long>(FeaturesRead, Column(events, e => e.FeaturesRead), cancellationToken: cancellationToken);
        await group.WriteAsync<long>(FeaturesLoaded, Column(events, e => e.FeaturesLoaded), cancellationToken: cancellationToken);
        await group.WriteAsync<long>(FeaturesRejected, Column(events, e => e.FeaturesRejected), cancellationToken: cancellationToken);
    }

    /// <summary>The name a kind has in the lake and in the API.</summary>
    public static string KindName(AnalyticsEventKind kind) => kind switch
    {
        AnalyticsEventKind.Request => "request",
        AnalyticsEventKind.Job => "job",
        _ => "ingest",
    };

    /// <summary>
    /// The client's network, not its address: IPv4 to its /24, IPv6 to its /48 (a site), as web analytics anonymise
    /// addresses. Enough to see that traffic comes from one place, not who sent it.
    /// </summary>
    public static string? Network(IPAddress? address)
    {
        if (address is null) return null;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        var keep = address.AddressFamily == AddressFamily.InterNetwork ? 3 : 6;
        for (var i = keep; i < bytes.Length; i++) bytes[i] = 0;
        return $"{new IPAddress(bytes)}/{keep * 8}";
    }

    private static T[] Column<T>(IReadOnlyList<AnalyticsEvent> events, Func<AnalyticsEvent, T> value)
    {
        var column = new T[events.Count];
        for (var i = 0; i < column.Length; i++) column[i] = value(events[i]);
        return column;
    }

    private static string?[] Strings(IReadOnlyList<AnalyticsEvent> events, Func<AnalyticsEvent, string?> value) => Column(events, value);
}
