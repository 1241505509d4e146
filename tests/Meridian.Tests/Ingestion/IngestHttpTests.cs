using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Meridian.Tests.Composition;

namespace Meridian.Tests.Ingestion;

/// <summary>
/// Uploads and ingest jobs through HTTP on a real server with the embedded stores: the file lands in the object
/// store, a job loads it, and the collection appears in the Features API.
/// </summary>
public sealed class IngestHttpTests : IAsyncLifetime
{
    private const string ApiKey = "ingest-test-key-0123456789";

    private readonly TempDirectory _data = new();
    private MeridianServer _server = null!;

    private HttpClient Client => _server.Client;

    public async Task InitializeAsync()
    {
        _server = await MeridianServer.StartAsync(new Dictionary<string, string?>
        {
            ["Meridian:Data"] = _data.Path,
            ["Meridian:Security:ApiKeys:0"] = ApiKey,
            // Low enough for a test to cross with a small upload; no other test here unpacks that much.
            ["Meridian:Ingest:MaxUnpackedBytes"] = "4194304",
        });
        Client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    private static MultipartFormDataContent Form(string file, string collection, params (string Name, string Value)[] fields) =>
        FormOf(TestData.Path(file), collection, fields);

    private static MultipartFormDataContent FormOf(string file, string collection, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent { { new StringContent(collection), "collection" } };
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        var content = new StreamContent(File.OpenRead(file));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", Path.GetFileName(file));
        return form;
    }

    private async Task<JsonNode> WaitForJobAsync(Uri job)
    {
        for (var i = 0; i < 600; i++)
        {
            var status = JsonNode.Parse(await Client.GetStringAsync(job))!;
            if ((string?)status["status"] is "successful" or "failed" or "dismissed") return status;
            await Task.Delay(100);
        }
        throw new TimeoutException($"The job {job} did not end within a minute.");
    }

    private async Task<(HttpResponseMessage Response, JsonNode Job)> IngestAsync(HttpContent body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "ingest") { Content = body };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        var response = await Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (response, await WaitForJobAsync(response.Headers.Location!));
    }

    private async Task<long> CountAsync(string collection) =>
        (long)JsonNode.Parse(await Client.GetStringAsync($"collections/{collection}/items?limit=1"))!["numberMatched"]!;

    [Fact]
    public async Task An_uploaded_file_becomes_a_collection()
    {
        var (response, job) = await IngestAsync(Form("naturalearth/ne_110m_admin_0_countries.geojson", "countries"));

        Assert.Equal("successful", (string?)job["status"]);
        Assert.Equal(177, await CountAsync("countries"));
        var results = JsonNode.Parse(await Client.GetStringAsync(response.Headers.Location + "/results"))!;
        Assert.Equal(177, (long)results["loaded"]!);
        Assert.Equal(0, (long)results["rejected"]!);
        Assert.Equal("geojson", (string?)results["format"]);
        Assert.Single(Directory.GetFiles(Path.Combine(_data.Path, "objects", "raw"), "*.geojson", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_object_already_in_the_store_is_ingested_by_key()
    {
        await IngestAsync(Form("naturalearth/ne_110m_rivers_lake_centerlines.geojson", "rivers"));
        // The object the first ingest stored, found on disk: jobs do not expose their inputs.
        var objectKey = Path.GetRelativePath(Path.Combine(_data.Path, "objects"),
            Directory.GetFiles(Path.Combine(_data.Path, "objects", "raw"), "*.geojson", SearchOption.AllDirectories).Single()).Replace('\\', '/');

        var (_, job) = await IngestAsync(JsonContent($$"""{"object": "{{objectKey}}", "collection": "rivers", "mode": "append"}"""));

        Assert.Equal("successful", (string?)job["status"]);
        Assert.Equal(26, await CountAsync("rivers"));
    }

    [Fact]
    public async Task Bad_records_are_rejected_and_listed_while_the_rest_loads()
    {
        var (response, job) = await IngestAsync(Form("broken/csv_lonlat_bad_rows.csv", "cities"));

        Assert.Equal("successful", (string?)job["status"]);
        var results = JsonNode.Parse(await Client.GetStringAsync(response.Headers.Location + "/results"))!;
        var rejected = results["rejections"]!.AsArray().Select(r => (long)r!["record"]!).ToList();
        Assert.NotEmpty(rejected);
        Assert.Equal((long)results["read"]!, (long)results["loaded"]! + rejected.Count);
        Assert.Equal((long)results["loaded"]!, await CountAsync("cities"));
    }

    [Theory]
    [InlineData("broken/not_json_html_error_page.geojson")]
    [InlineData("broken/empty_zero_bytes.geojson")]
    [InlineData("broken/shapefile_zip_truncated.shp.zip")]
    [InlineData("broken/raster_not_a_tiff_text.tif")]
    public async Task A_broken_file_fails_its_job_with_a_reason_and_leaves_no_collection(string file)
    {
        var (_, job) = await IngestAsync(Form(file, "broken"));

        Assert.Equal("failed", (string?)job["status"]);
        Assert.Contains("nothing was loaded", (string?)job["message"]);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("collections/broken")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("health")).StatusCode);
    }

    /// <summary>Hostile or mislabelled uploads, made on the spot: each fails its job naming why, with the server healthy.</summary>
    [Theory]
    [InlineData("bomb.shp.zip", "inflates more than 200 times")]
    [InlineData("bomb.kmz", "inflates more than 200 times")]
    [InlineData("large.shp.zip", "unpacks to more than 4,194,304 bytes")]
    [InlineData("table.geojson", "CSV needs a .csv")]
    [InlineData("page.shp.zip", "HTML page")]
    [InlineData("binary.shp.zip", "binary data")]
    public async Task A_hostile_or_mislabelled_file_fails_its_job_naming_why_and_leaves_the_collection(string name, string reason)
    {
        await IngestAsync(Form("naturalearth/ne_110m_rivers_lake_centerlines.geojson", "rivers"));
        var path = Path.Combine(_data.Path, name);
        await HostileFiles.WriteAsync(path);

        var (_, job) = await IngestAsync(FormOf(path, "rivers", ("mode", "replace")));

        Assert.Equal("failed", (string?)job["status"]);
        Assert.Contains(reason, (string?)job["message"]);
        Assert.Contains("nothing was loaded", (string?)job["message"]);
        Assert.Equal(13, await CountAsync("rivers"));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("health")).StatusCode);
    }

    [Fact]
    public async Task Appending_heights_to_a_flat_collection_fails_the_job_naming_the_feature_and_leaves_it_untouched()
    {
        var flat = Path.Combine(_data.Path, "peaks.geojson");
        await File.WriteAllTextAsync(flat, """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[1,2]}},
              {"type":"Feature","properties":{"name":"b"},"geometry":{"type":"Point","coordinates":[3,4]}}]}
            """);
        var summits = Path.Combine(_data.Path, "summits.geojson");
        await File.WriteAllTextAsync(summits, """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"name":"c"},"geometry":{"type":"Point","coordinates":[5,6]}},
              {"type":"Feature","properties":{"name":"Mont Blanc"},"geometry":{"type":"Point","coordinates":[6.8652,45.8326,4808.73]}}]}
            """);
        await IngestAsync(FormOf(flat, "peaks"));

        var (_, job) = await IngestAsync(FormOf(summits, "peaks", ("mode", "append")));

        Assert.Equal("failed", (string?)job["status"]);
        Assert.Contains("Feature #2 has heights (z), but 'peaks' holds two-dimensional geometries", (string?)job["message"]);
        Assert.Contains("nothing was loaded", (string?)job["message"]);
        var items = JsonNode.Parse(await Client.GetStringAsync("collections/peaks/items"))!;
        Assert.Equal(["[1,2]", "[3,4]"], items["features"]!.AsArray().Select(f => f!["geometry"]!["coordinates"]!.ToJsonString()));
    }

    [Fact]
    public async Task Creating_an_existing_collection_fails_and_leaves_it_untouched()
    {
        await IngestAsync(Form("naturalearth/ne_110m_rivers_lake_centerlines.geojson", "rivers"));

        var (_, job) = await IngestAsync(Form("naturalearth/ne_110m_admin_0_countries.geojson", "rivers"));

        Assert.Equal("failed", (string?)job["status"]);
        Assert.Contains("already exists", (string?)job["message"]);
        Assert.Equal(13, await CountAsync("rivers"));
    }

    [Fact]
    public async Task Replace_mode_swaps_the_collection_for_the_file_by_form_or_json()
    {
        await IngestAsync(Form("naturalearth/ne_110m_rivers_lake_centerlines.geojson", "rivers"));

        var (_, replaced) = await IngestAsync(Form("naturalearth/ne_110m_admin_0_countries.geojson", "rivers", ("mode", "replace")));
        var countriesKey = Path.GetRelativePath(Path.Combine(_data.Path, "objects"),
            Directory.GetFiles(Path.Combine(_data.Path, "objects", "raw"), "ne_110m_admin_0_countries.geojson", SearchOption.AllDirectories).Single()).Replace('\\', '/');
        var (_, again) = await IngestAsync(JsonContent($$"""{"object": "{{countriesKey}}", "collection": "rivers", "mode": "replace"}"""));

        Assert.Equal("successful", (string?)replaced["status"]);
        Assert.Equal("successful", (string?)again["status"]);
        Assert.Equal(177, await CountAsync("rivers"));
    }

    [Fact]
    public async Task A_replace_dismissed_while_it_runs_leaves_the_collection_as_it_was()
    {
        await IngestAsync(Form("naturalearth/ne_110m_rivers_lake_centerlines.geojson", "rivers"));
        var points = Path.Combine(_data.Path, "points.geojson");
        await using (var writer = new StreamWriter(points))
        {
            await writer.WriteAsync("""{"type":"FeatureCollection","features":[""");
            for (var i = 0; i < 300_000; i++)
                await writer.WriteAsync(FormattableString.Invariant($"{(i == 0 ? "" : ",")}{{\"type\":\"Feature\",\"properties\":{{\"n\":{i}}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{i % 360 - 180},{i % 180 - 90}]}}}}"));
            await writer.WriteAsync("]}");
        }
        var form = new MultipartFormDataContent { { new StringContent("rivers"), "collection" }, { new StringContent("replace"), "mode" } };
        form.Add(new StreamContent(File.OpenRead(points)), "file", "points.geojson");
        var started = await Client.PostAsync("ingest", form);
        var job = started.Headers.Location!;
        for (var i = 0; i < 600 && (string?)JsonNode.Parse(await Client.GetStringAsync(job))!["status"] == "accepted"; i++) await Task.Delay(50);

        var dismissed = await Client.DeleteAsync(job);
        // The worker runs one job at a time: once the next one is done, the dismissed one has stopped.
        var (_, next) = await IngestAsync(Form("naturalearth/ne_110m_admin_0_countries.geojson", "countries"));

        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        Assert.Equal("dismissed", (string?)JsonNode.Parse(await Client.GetStringAsync(job))!["status"]);
        Assert.Equal("successful", (string?)next["status"]);
        Assert.Equal(13, await CountAsync("rivers"));
        Assert.DoesNotContain("\"n\"", await Client.GetStringAsync("collections/rivers/queryables"));
    }

    [Fact]
    public async Task The_same_idempotency_key_gives_the_same_job()
    {
        var (first, _) = await IngestAsync(Form("naturalearth/ne_110m_rivers_lake_centerlines.geojson", "rivers"), "key-1");
        var (second, job) = await IngestAsync(Form("naturalearth/ne_110m_rivers_lake_centerlines.geojson", "rivers"), "key-1");

        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("successful", (string?)job["status"]);
        Assert.Equal(13, await CountAsync("rivers"));
        // The job read the first upload; the repeated one is not kept.
        Assert.Single(Directory.GetFiles(Path.Combine(_data.Path, "objects", "raw"), "*.geojson", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_idempotency_key_sent_again_with_another_request_is_a_422_and_keeps_nothing_of_it()
    {
        var (first, _) = await IngestAsync(Form("naturalearth/ne_110m_rivers_lake_centerlines.geojson", "rivers"), "key-2");
        using var other = new HttpRequestMessage(HttpMethod.Post, "ingest") { Content = Form("naturalearth/ne_110m_admin_0_countries.geojson", "countries") };
        other.Headers.Add("Idempotency-Key", "key-2");

        var response = await Client.SendAsync(other);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(first.Headers.Location!.Segments[^1], (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]);
        Assert.Empty(Directory.GetFiles(Path.Combine(_data.Path, "objects", "raw"), "ne_110m_admin_0_countries.geojson", SearchOption.AllDirectories));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("collections/countries")).StatusCode);
    }

    [Fact]
    public async Task A_large_file_can_be_uploaded_in_parts_then_ingested()
    {
        var bytes = await File.ReadAllBytesAsync(TestData.Path("naturalearth/ne_10m_populated_places.geojson"));
        var start = JsonNode.Parse(await (await Client.PostAsync("uploads?name=places.geojson", null)).Content.ReadAsStringAsync())!;
        var upload = $"uploads/{(string?)start["uploadId"]}";
        const int partSize = 5 * 1024 * 1024;
        var parts = Enumerable.Range(0, (bytes.Length + partSize - 1) / partSize).Reverse().ToList(); // any order
        foreach (var i in parts)
        {
            var put = await Client.PutAsync($"{upload}/parts/{i + 1}", new ByteArrayContent(bytes, i * partSize, Math.Min(partSize, bytes.Length - i * partSize)));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        var listed = JsonNode.Parse(await Client.GetStringAsync(upload))!["parts"]!.AsArray();
        var completed = JsonNode.Parse(await (await Client.PostAsync($"{upload}/complete", null)).Content.ReadAsStringAsync())!;

        var (_, job) = await IngestAsync(JsonContent($$"""{"object": "{{(string?)completed["object"]}}", "collection": "places"}"""));

        Assert.Equal(parts.Count, listed.Count);
        Assert.Equal(bytes.Length, (long)completed["size"]!);
        Assert.Equal("successful", (string?)job["status"]);
        Assert.Equal(7343, await CountAsync("places"));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(upload)).StatusCode);
    }

    [Fact]
    public async Task A_file_with_a_long_non_ascii_name_is_stored_and_loaded_whole_or_in_parts()
    {
        // 150 CJK characters are 450 bytes in UTF-8: past the 255 a file name may have on disk.
        var name = new string('地', 150) + ".geojson";
        var form = new MultipartFormDataContent { { new StringContent("rivers"), "collection" } };
        form.Add(new StreamContent(File.OpenRead(TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"))), "file", name);
        var start = await Client.PostAsync($"uploads?name={Uri.EscapeDataString(name)}", null);
        var upload = $"uploads/{(string?)JsonNode.Parse(await start.Content.ReadAsStringAsync())!["uploadId"]}";
        await Client.PutAsync($"{upload}/parts/1", new ByteArrayContent(await File.ReadAllBytesAsync(TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"))));
        var completed = await Client.PostAsync($"{upload}/complete", null);

        var (_, job) = await IngestAsync(form);

        Assert.Equal("successful", (string?)job["status"]);
        Assert.Equal(13, await CountAsync("rivers"));
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.EndsWith(".geojson", (string?)JsonNode.Parse(await completed.Content.ReadAsStringAsync())!["object"]);
    }

    [Theory]
    [InlineData("""{"collection": "x"}""")]
    [InlineData("""{"object": "../../etc/passwd", "collection": "x"}""")]
    [InlineData("""{"object": "raw/a.geojson", "collection": "x", "mode": "destroy"}""")]
    [InlineData("""{"object": "raw/a.geojson", "collection": "x", "mdoe": "append"}""")]
    [InlineData("""{"object": "raw/a.geojson", "collection": "x", "crs": -5}""")]
    [InlineData("""{"object": "raw/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.geojson", "collection": "x"}""")]
    [InlineData("""not json""")]
    [InlineData("")]
    public async Task A_bad_ingest_request_is_a_400_problem_and_starts_no_job(string body)
    {
        var response = await Client.PostAsync("ingest", JsonContent(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(JsonNode.Parse(await Client.GetStringAsync("jobs"))!["jobs"]!.AsArray());
    }

    [Fact]
    public async Task A_multipart_request_without_a_file_is_refused_and_stores_nothing()
    {
        var form = new MultipartFormDataContent { { new StringContent("x"), "collection" } };

        var response = await Client.PostAsync("ingest", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(_data.Path, "objects", "raw")));
    }

    [Theory]
    // No part at all, and the body ends before the first boundary.
    [InlineData("{}")]
    // A part whose headers never end.
    [InlineData("--x\r\nContent-Disposition: form-data; name=\"collection\"")]
    // A form field cut off before the closing boundary.
    [InlineData("--x\r\nContent-Disposition: form-data; name=\"collection\"\r\n\r\nrivers")]
    // A file cut off before the closing boundary: what was stored of it is removed.
    [InlineData("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.geojson\"\r\n\r\n{\"type\":")]
    public async Task A_malformed_multipart_body_is_a_400_problem_and_stores_nothing(string body)
    {
        var content = new StringContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");

        var response = await Client.PostAsync("ingest", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("multipart", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"], StringComparison.OrdinalIgnoreCase);
        Assert.True(!Directory.Exists(Path.Combine(_data.Path, "objects")) ||
            Directory.GetFiles(Path.Combine(_data.Path, "objects"), "*", SearchOption.AllDirectories).Length == 0);
    }

    [Fact]
    public async Task A_multipart_request_with_bad_fields_removes_the_uploaded_file()
    {
        var response = await Client.PostAsync("ingest", Form("naturalearth/ne_110m_rivers_lake_centerlines.geojson", "rivers", ("mode", "destroy")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(_data.Path, "objects"), "*.geojson", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_form_field_given_twice_is_a_400_naming_it_and_removes_the_uploaded_file()
    {
        var form = Form("naturalearth/ne_110m_rivers_lake_centerlines.geojson", "rivers", ("collection", "lakes"));

        var response = await Client.PostAsync("ingest", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'collection'", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]);
        Assert.Empty(Directory.GetFiles(Path.Combine(_data.Path, "objects"), "*.geojson", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task The_file_part_is_the_file_even_without_a_file_name()
    {
        // As a browser sends a file input whose file has no name: filename="".
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson")));
        file.Headers.ContentDisposition = ContentDispositionHeaderValue.Parse("form-data; name=\"file\"; filename=\"\"");
        var form = new MultipartFormDataContent { { new StringContent("rivers"), "collection" }, file };

        var (_, job) = await IngestAsync(form);

        Assert.Equal("successful", (string?)job["status"]);
        Assert.Equal(13, await CountAsync("rivers"));
    }

    [Fact]
    public async Task Ingesting_needs_the_write_credential()
    {
        using var anonymous = new HttpClient { BaseAddress = _server.Address };

        var ingest = await anonymous.PostAsync("ingest", Form("naturalearth/ne_110m_rivers_lake_centerlines.geojson", "rivers"));
        var upload = await anonymous.PostAsync("uploads?name=a.geojson", null);

        Assert.Equal(HttpStatusCode.Unauthorized, ingest.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, upload.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(_data.Path, "objects", "raw")));
    }

    [Fact]
    public async Task An_unknown_job_is_a_404_problem()
    {
        var response = await Client.GetAsync("jobs/no-such-job");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("no-such-upload")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("%2E%2Emeridian")]
    public async Task An_unknown_or_hostile_upload_id_is_a_404_problem(string uploadId)
    {
        var listed = await Client.GetAsync($"uploads/{uploadId}");
        var put = await Client.PutAsync($"uploads/{uploadId}/parts/1", new ByteArrayContent([1, 2, 3]));
        var completed = await Client.PostAsync($"uploads/{uploadId}/complete", null);

        foreach (var response in new[] { listed, put, completed })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    [InlineData(-1)]
    public async Task A_part_number_out_of_range_is_a_400_problem(int partNumber)
    {
        var start = JsonNode.Parse(await (await Client.PostAsync("uploads?name=a.geojson", null)).Content.ReadAsStringAsync())!;

        var response = await Client.PutAsync($"uploads/{(string?)start["uploadId"]}/parts/{partNumber}", new ByteArrayContent([1]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_upload_needs_a_name_and_parts_of_the_minimum_size()
    {
        var unnamed = await Client.PostAsync("uploads", null);
        var start = JsonNode.Parse(await (await Client.PostAsync("uploads?name=..%2F..%2Fa.geojson", null)).Content.ReadAsStringAsync())!;
        var upload = $"uploads/{(string?)start["uploadId"]}";
        await Client.PutAsync($"{upload}/parts/1", new ByteArrayContent(new byte[100]));
        await Client.PutAsync($"{upload}/parts/2", new ByteArrayContent(new byte[100]));

        var completed = await Client.PostAsync($"{upload}/complete", null);

        Assert.Equal(HttpStatusCode.BadRequest, unnamed.StatusCode);
        Assert.StartsWith("raw/", (string?)start["object"]);
        Assert.EndsWith("/a.geojson", (string?)start["object"]);
        Assert.Equal(HttpStatusCode.BadRequest, completed.StatusCode);
        Assert.Contains("part 1", (await completed.Content.ReadAsStringAsync()).ToLowerInvariant());
        Assert.Empty(Directory.GetFiles(Path.Combine(_data.Path, "objects"), "a.geojson", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("jobs?limit=0")]
    [InlineData("jobs?limit=1001")]
    [InlineData("jobs?limit=abc")]
    [InlineData("jobs/x/results")]
    public async Task Bad_job_requests_are_4xx_problems(string url)
    {
        var response = await Client.GetAsync(url);

        Assert.True((int)response.StatusCode is >= 400 and < 500, response.StatusCode.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("jobs?limit=abc")]
    [InlineData("jobs?limit=1e309")]
    [InlineData("jobs?limit=9223372036854775808")]
    [InlineData("jobs?limit=")]
    [InlineData("jobs?limit=1&limit=2")]
    public async Task A_bad_job_list_limit_is_a_400_problem_naming_limit(string url)
    {
        var problem = await Client.GetProblemAsync(url, HttpStatusCode.BadRequest);

        Assert.Contains("limit", (string?)problem["detail"]);
    }

    [Fact]
    public async Task A_job_that_is_not_done_has_no_results_yet()
    {
        var (response, job) = await IngestAsync(Form("broken/empty_zero_bytes.geojson", "empty"));

        var results = await Client.GetAsync(response.Headers.Location + "/results");

        Assert.Equal("failed", (string?)job["status"]);
        Assert.Equal(HttpStatusCode.NotFound, results.StatusCode);
        Assert.Contains("result-not-ready", await results.Content.ReadAsStringAsync());
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");
}
