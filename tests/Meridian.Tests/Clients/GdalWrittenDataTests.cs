using System.Net;
using System.Text.Json.Nodes;
using Meridian.Tests.Features;
using static Meridian.Tests.Features.TransactionsServer;

namespace Meridian.Tests.Clients;

/// <summary>
/// Features written through the API, read back by GDAL: over OGC API - Features (the OAPIF driver is read-only)
/// and, for the embedded store, straight from the GeoPackage file the writes changed.
/// </summary>
public abstract class GdalWrittenDataContract(TransactionsServer server)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    protected TransactionsServer Server => server;

    protected async Task<string> WriteCollectionAsync()
    {
        var id = "g" + Guid.NewGuid().ToString("N")[..10];
        using (var created = await server.Client.SendAsync(Request(HttpMethod.Post, "/collections",
            $$$$"""{"id":"{{{{id}}}}","geometryType":"Point","properties":{"name":{"type":"string"},"rank":{"type":"integer"}}}""", "application/json")))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var paths = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await server.Client.SendAsync(Request(HttpMethod.Post, $"/collections/{id}/items",
                $$$"""{"type":"Feature","geometry":{"type":"Point","coordinates":[{{{i * 10}}},{{{i * 5}}}]},"properties":{"name":"p{{{i}}}","rank":{{{i}}}}}"""));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            paths.Add(response.Headers.Location!.AbsolutePath);
        }
        using (var patched = await server.Client.SendAsync(Request(HttpMethod.Patch, paths[1], """{"properties":{"name":"moved"},"geometry":{"type":"Point","coordinates":[-60,-30]}}""", "application/merge-patch+json")))
            Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        using (var deleted = await server.Client.SendAsync(Request(HttpMethod.Delete, paths[4])))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        return id;
    }

    protected static async Task<JsonArray> Ogr2ogrAsync(string source, string layer, params string[] options)
    {
        using var directory = new TempDirectory();
        var output = Path.Combine(directory.Path, "out.geojson");
        var result = await ExternalProcess.RunAsync("ogr2ogr", ["-f", "GeoJSON", output, source, layer, .. options], Timeout);
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonNode.Parse(await File.ReadAllTextAsync(output))!["features"]!.AsArray();
    }

    [Fact]
    public async Task Ogr2ogr_OverOapif_ReadsWhatWasWritten()
    {
        var id = await WriteCollectionAsync();

        var features = await Ogr2ogrAsync("OAPIF:" + server.Client.BaseAddress!.ToString().TrimEnd('/'), id, "-oo", "PAGE_SIZE=2");

        Assert.Equal(["moved", "p0", "p2", "p3"], features.Select(f => f!["properties"]!["name"]!.GetValue<string>()).Order());
        var moved = features.Single(f => f!["properties"]!["name"]!.GetValue<string>() == "moved")!;
        Assert.Equal(-60, moved["geometry"]!["coordinates"]![0]!.GetValue<double>());
    }
}

public sealed class EmbeddedGdalWrittenDataTests(EmbeddedTransactionsServer server)
    : GdalWrittenDataContract(server), IClassFixture<EmbeddedTransactionsServer>
{
    [Fact]
    public async Task Ogr2ogr_FromTheGeoPackage_SeesTheWritesAndItsSpatialIndex()
    {
        var id = await WriteCollectionAsync();
        var file = Path.Combine(Server.DataPath, "features", id + ".gpkg");

        var all = await Ogr2ogrAsync(file, id);
        // -spat goes through the R-tree the GeoPackage triggers maintain: the moved point is only at its new place.
        var south = await Ogr2ogrAsync(file, id, "-spat", "-61", "-31", "-59", "-29");
        var old = await Ogr2ogrAsync(file, id, "-spat", "9", "4", "11", "6");

        Assert.Equal(4, all.Count);
        Assert.Equal("moved", Assert.Single(south)!["properties"]!["name"]!.GetValue<string>());
        Assert.Empty(old);
    }
}

public sealed class PostGisGdalWrittenDataTests(PostGisTransactionsServer server)
    : GdalWrittenDataContract(server), IClassFixture<PostGisTransactionsServer>;
