using System.Net;
using Meridian.Analytics.Writing;
using Parquet;

namespace Meridian.Analytics.Tests.Writing;

public sealed class EventFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task WriteAsync_RoundTripsEveryColumnThroughParquet()
    {
        var time = new DateTime(2026, 3, 1, 7, 15, 30, 250, DateTimeKind.Utc);
        var path = await WriteAsync([
            Events.Request(time, "/collections/{collectionId}/items", 200, 12.5, collection: "parks", tenant: "acme", bytes: 4096),
            Events.Job(time, "buffer", "failed", 1500),
            Events.Ingest(time, "roads", loaded: 90, rejected: 10),
        ]);

        // Read back by another implementation (DuckDB's), as the analytics role and any other tool will.
        var rows = Duck.Rows("SELECT kind, time, role, instance, method, route, collection, status, duration_ms, bytes, tenant, key_id, client_net, outcome, "
            + "process_id, format, features_read, features_loaded, features_rejected FROM read_parquet($path)", ("path", path));
        Assert.Equal(3, rows.Count);
        Assert.Equal(["request", time, "all", "test-1", "GET", "/collections/{collectionId}/items", "parks", 200, 12.5, 4096L, "acme", "k1", "192.0.2.0/24",
            null, null, null, null, null, null], rows[0]);
        Assert.Equal(["job", time, "all", "test-1", null, null, null, null, 1500.0, null, null, null, null, "failed", "buffer", null, null, null, null], rows[1]);
        Assert.Equal(["ingest", time, "all", "test-1", null, null, "roads", null, 50.0, 1000L, null, null, null, "successful", null, "geojson", 100L, 90L, 10L],
            rows[2]);
        await using var reader = await ParquetReader.CreateAsync(path);
        Assert.Equal(EventFile.Schema.GetDataFields().Select(f => f.Name), reader.Schema.GetDataFields().Select(f => f.Name));
    }

    [Fact]
    public async Task WriteAsync_TimeFilteredByDuckDb_FindsTheRows()
    {
        // Parquet.Net 6.1 writes microsecond statistics in milliseconds; DuckDB then skipped matching row groups. The
        // column is in milliseconds for that reason: this is what breaks if it goes back.
        var path = await WriteAsync([Events.Request(Events.Utc(1, 7, 10), "/a", 200), Events.Request(Events.Utc(1, 7, 50), "/a", 200)]);

        var rows = Duck.Rows("SELECT count(*) FROM read_parquet($path) WHERE time >= $from AND time < $to",
            ("path", path), ("from", Events.Utc(1, 7, 30)), ("to", Events.Utc(1, 8)));

        Assert.Equal(1L, rows.Single()[0]);
    }

    [Theory]
    [InlineData("203.0.113.195", "203.0.113.0/24")]
    [InlineData("::ffff:203.0.113.195", "203.0.113.0/24")]
    [InlineData("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::/48")]
    [InlineData("::1", "::/48")]
    public void Network_KeepsTheNetworkNotTheAddress(string address, string expected) =>
        Assert.Equal(expected, EventFile.Network(IPAddress.Parse(address)));

    private async Task<string> WriteAsync(Hosting.Analytics.AnalyticsEvent[] events)
    {
        var path = Path.Combine(_directory.Path, Guid.NewGuid().ToString("N") + ".parquet");
        await using (var file = File.Create(path))
        {
            await EventFile.WriteAsync(events, "all", "test-1", file, CancellationToken.None);
        }
        return path;
    }

    public void Dispose() => _directory.Dispose();
}
