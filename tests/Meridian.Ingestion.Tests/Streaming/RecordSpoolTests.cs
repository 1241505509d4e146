using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Streaming;
using Meridian.Testing;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Meridian.Ingestion.Tests.Streaming;

public sealed class RecordSpoolTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static Geometry Wkt(string wkt) => new WKTReader().Read(wkt);

    private static async Task<List<SourceFeature>> ReadAllAsync(RecordSpool spool)
    {
        var features = new List<SourceFeature>();
        await foreach (var feature in spool.ReadAsync(CancellationToken.None)) features.Add(feature);
        return features;
    }

    [Fact]
    public async Task Every_value_type_reads_back_as_written()
    {
        var properties = new List<KeyValuePair<string, object?>>
        {
            new("null", null), new("yes", true), new("no", false), new("long", long.MinValue), new("big", long.MaxValue),
            new("double", -0.1), new("tiny", double.Epsilon), new("text", "naïve ☃ \0 end"), new("empty", ""),
            new("json", new RawJson("""{"a":[1,2]}""")), new("date", new DateOnly(2021, 2, 28)),
            new("time", new DateTimeOffset(2021, 2, 28, 23, 59, 59, 123, TimeSpan.FromHours(-5.5))),
            // {"a":1,"a":2} reaches the spool with both members, in order.
            new("dup", 1L), new("dup", 2L),
        };
        await using var spool = new RecordSpool(_directory.Path);
        spool.Add(new SourceFeature(7, "id-7", null, properties));

        var read = Assert.Single(await ReadAllAsync(spool));

        Assert.Equal(7, read.Record);
        Assert.Equal("id-7", read.Id);
        Assert.Null(read.Geometry);
        Assert.Equal(properties, read.Properties);
        Assert.Equal(TimeSpan.FromHours(-5.5), ((DateTimeOffset)read.Properties[11].Value!).Offset);
    }

    [Theory]
    [InlineData("POINT (1.5 -2.25)")]
    [InlineData("POINT EMPTY")]
    [InlineData("POINT Z (1 2 3)")]
    [InlineData("LINESTRING M (0 0 1, 1 1 2)")]
    [InlineData("LINESTRING ZM (0 0 1 5, 1 1 2 6)")]
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 3, 3 3, 2 2))")]
    [InlineData("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))")]
    [InlineData("GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1))")]
    [InlineData("POLYGON EMPTY")]
    public async Task Geometries_read_back_equal_with_their_dimensions(string wkt)
    {
        var geometry = Wkt(wkt);
        await using var spool = new RecordSpool(_directory.Path);
        spool.Add(new SourceFeature(1, null, geometry, []));

        var read = Assert.Single(await ReadAllAsync(spool)).Geometry!;

        Assert.Equal(geometry.GeometryType, read.GeometryType);
        Assert.True(geometry.EqualsExact(read), $"{read} is not {geometry}");
        Assert.Equal(geometry.IsEmpty, read.IsEmpty);
        var written = new WKTWriter(4) { OutputOrdinates = Ordinates.XYZM };
        Assert.Equal(written.Write(geometry), written.Write(read));
    }

    [Fact]
    public async Task Records_read_back_in_order_with_names_shared_across_records()
    {
        await using var spool = new RecordSpool(_directory.Path);
        for (var i = 1; i <= 1000; i++)
        {
            // Names appear in changing order and one only now and then.
            List<KeyValuePair<string, object?>> properties = i % 2 == 0 ? [new("a", (long)i), new("b", "x")] : [new("b", "y"), new("a", (long)i)];
            if (i % 100 == 0) properties.Add(new("rare", i * 0.5));
            spool.Add(new SourceFeature(i * 3, null, GeometryFactoryPoint(i), properties));
        }

        var read = await ReadAllAsync(spool);

        Assert.Equal(1000, read.Count);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i * 3), read.Select(f => f.Record));
        Assert.Equal(500L, read[499].Properties.Single(p => p.Key == "a").Value);
        Assert.Equal("x", read[499].Properties.Single(p => p.Key == "b").Value);
        Assert.Equal(250.0, read[499].Properties.Single(p => p.Key == "rare").Value);
        Assert.Equal(new Coordinate(999, 0.5), read[998].Geometry!.Coordinate);
    }

    private static Point GeometryFactoryPoint(int i) => Storage.Spatial.GeometryServices.Factory.CreatePoint(new Coordinate(i, 0.5));

    [Fact]
    public async Task The_file_is_deleted_when_the_spool_is_disposed_also_before_it_was_read()
    {
        var spool = new RecordSpool(_directory.Path);
        spool.Add(new SourceFeature(1, null, null, [new("a", 1L)]));
        Assert.True(File.Exists(spool.Path));

        await spool.DisposeAsync();

        Assert.False(File.Exists(spool.Path));
        Assert.Empty(Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public async Task A_value_type_records_may_not_hold_is_refused_when_added()
    {
        await using var spool = new RecordSpool(_directory.Path);

        var e = Assert.Throws<InvalidOperationException>(() => spool.Add(new SourceFeature(1, null, null, [new("blob", new byte[] { 1 })])));
        Assert.Contains("'blob'", e.Message);
    }

    [Fact]
    public async Task Records_cannot_be_added_once_reading_has_begun()
    {
        await using var spool = new RecordSpool(_directory.Path);
        spool.Add(new SourceFeature(1, null, null, []));
        await ReadAllAsync(spool);

        Assert.Throws<InvalidOperationException>(() => spool.Add(new SourceFeature(2, null, null, [])));
    }
}
