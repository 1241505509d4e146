using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Meridian.Tests.Composition;
using Microsoft.AspNetCore.WebUtilities;

namespace Meridian.Tests.Processes;

/// <summary>
/// OGC API – Processes on a real server with the embedded stores: the list and descriptions, synchronous and
/// asynchronous executions (jobs run by the worker role in the same process), and every kind of bad request.
/// </summary>
public sealed class ProcessesHttpTests : IAsyncLifetime
{
    private const string ApiKey = "processes-test-key-0123456789";
    private const string Point = """{"type": "Point", "coordinates": [10, 50]}""";

    private readonly TempDirectory _data = new();
    private MeridianServer _server = null!;

    private HttpClient Client => _server.Client;

    public async Task InitializeAsync()
    {
        _server = await MeridianServer.StartAsync(new Dictionary<string, string?>
        {
            ["Meridian:Data"] = _data.Path,
            ["Meridian:Security:ApiKeys:0"] = ApiKey,
            ["Meridian:Security:AnonymousProcesses:0"] = "echo",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    private async Task<HttpResponseMessage> ExecuteAsync(string process, string body, bool async = false, string? idempotencyKey = null,
        string mediaType = "application/json", bool authorized = true, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"processes/{process}/execution") { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        if (authorized) request.Headers.Add("X-API-Key", ApiKey);
        if (accept is not null) request.Headers.Add("Accept", accept);
        if (async) request.Headers.Add("Prefer", "respond-async");
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await Client.SendAsync(request);
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

    [Fact]
    public async Task The_process_list_and_descriptions_are_public()
    {
        var list = await Client.GetJsonAsync("processes");
        var ids = list["processes"]!.AsArray().Select(p => (string)p!["id"]!).ToList();
        Assert.Equal(["area-length", "buffer", "centroid", "clip", "convex-hull", "difference", "dissolve", "echo", "grid-aggregate", "ingest", "nearest", "notify", "reproject", "simplify", "spatial-join"], ids);

        var buffer = await Client.GetJsonAsync("processes/buffer");
        Assert.Equal(["sync-execute", "async-execute", "dismiss"], buffer["jobControlOptions"]!.AsArray().Select(o => (string)o!));
        Assert.Equal(["input", "distance", "dissolve", "output"], buffer["inputs"]!.AsObject().Select(i => i.Key));
        Assert.Equal("number", (string)buffer["inputs"]!["distance"]!["schema"]!["type"]!);
        Assert.Equal(1, (int)buffer["inputs"]!["distance"]!["minOccurs"]!);
        Assert.NotNull(buffer["outputs"]!["result"]!["schema"]);
        Assert.Contains(buffer["links"]!.AsArray(), l => (string)l!["rel"]! == "http://www.opengis.net/def/rel/ogc/1.0/execute");
    }

    [Fact]
    public async Task Conformance_landing_page_and_OpenAPI_show_processes()
    {
        var conformance = (await Client.GetJsonAsync("conformance"))["conformsTo"]!.AsArray().Select(c => (string)c!).ToList();
        foreach (var name in new[] { "core", "ogc-process-description", "json", "job-list", "dismiss" })
            Assert.Contains($"http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/{name}", conformance);
        var landing = await Client.GetJsonAsync("?f=json");
        Assert.Contains(landing["links"]!.AsArray(), l => (string)l!["rel"]! == "http://www.opengis.net/def/rel/ogc/1.0/processes");
        var api = await Client.GetJsonAsync("api", "application/vnd.oai.openapi+json");
        Assert.NotNull(api["paths"]!["/processes/{processId}/execution"]!["post"]);
        // /req/job-list/type-definition, processID-definition, status-definition, datetime-definition, duration-definition, limit-definition.
        var jobListParameters = api["paths"]!["/jobs"]!["get"]!["parameters"]!.AsArray().Select(p => (string)p!["name"]!);
        Assert.Equal(["type", "processID", "status", "datetime", "minDuration", "maxDuration", "limit", "offset"], jobListParameters);
        // OGC's own OpenAPI definition names the operations so; its conformance suite looks each one up by its id.
        var operationIds = api["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => ((string?)operation.Value!["operationId"], $"{operation.Key} {path.Key}")))
            .Where(o => o.Item1 is not null)
            .ToDictionary(o => o.Item1!, o => o.Item2);
        Assert.Equal("get /", operationIds["getLandingPage"]);
        Assert.Equal("get /conformance", operationIds["getConformanceClasses"]);
        Assert.Equal("get /processes", operationIds["getProcesses"]);
        Assert.Equal("get /processes/{processId}", operationIds["getProcessDescription"]);
        Assert.Equal("post /processes/{processId}/execution", operationIds["execute"]);
        Assert.Equal("get /jobs", operationIds["getJobs"]);
        Assert.Equal("get /jobs/{jobId}", operationIds["getStatus"]);
        Assert.Equal("delete /jobs/{jobId}", operationIds["dismiss"]);
        Assert.Equal("get /jobs/{jobId}/results", operationIds["getResult"]);
    }

    [Fact]
    public async Task A_synchronous_execution_returns_the_output_raw_or_as_a_document()
    {
        using var raw = await ExecuteAsync("centroid", $$"""{"inputs": {"input": {{Point}} } }""");
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal("application/geo+json", raw.Content.Headers.ContentType?.MediaType);
        var collection = JsonNode.Parse(await raw.Content.ReadAsStringAsync())!;
        Assert.Equal("[10,50]", collection["features"]![0]!["geometry"]!["coordinates"]!.ToJsonString());

        using var document = await ExecuteAsync("area-length", $$"""{"inputs": {"input": {{Point}} }, "response": "document"}""");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        var outputs = JsonNode.Parse(await document.Content.ReadAsStringAsync())!;
        Assert.Equal(1, (long)outputs["summary"]!["count"]!);
        Assert.Equal("FeatureCollection", (string)outputs["result"]!["type"]!);

        using var selected = await ExecuteAsync("area-length", $$"""{"inputs": {"input": {{Point}} }, "outputs": {"summary": {} } }""");
        Assert.Equal(1, (long)JsonNode.Parse(await selected.Content.ReadAsStringAsync())!["count"]!);
    }

    [Fact]
    public async Task An_asynchronous_execution_is_a_job_whose_results_come_from_the_jobs_api()
    {
        using var response = await ExecuteAsync("buffer", $$"""{"inputs": {"input": {{Point}}, "distance": 100, "output": {"collection": "zone"} } }""",
            async: true, idempotencyKey: "buffer-once");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("respond-async", response.Headers.GetValues("Preference-Applied").Single());
        var job = await WaitForJobAsync(response.Headers.Location!);
        Assert.Equal("successful", (string)job["status"]!);
        Assert.Equal("buffer", (string)job["processID"]!);

        var results = JsonNode.Parse(await Client.GetStringAsync(response.Headers.Location + "/results"))!;
        Assert.Equal("zone", (string)results["result"]!["collection"]!);
        var items = await Client.GetJsonAsync("collections/zone/items", "application/geo+json");
        Assert.Equal("MultiPolygon", (string)items["features"]![0]!["geometry"]!["type"]!);

        using var again = await ExecuteAsync("buffer", $$"""{"inputs": {"input": {{Point}}, "distance": 100, "output": {"collection": "zone"} } }""",
            async: true, idempotencyKey: "buffer-once");
        Assert.Equal(response.Headers.Location, again.Headers.Location);
    }

    [Fact]
    public async Task An_inline_result_is_the_same_bytes_raw_in_a_document_and_from_the_jobs_api()
    {
        const string Inputs = """{"input": {"type": "Point", "coordinates": [10.123456789123, 50]}, "distance": 100}""";
        using var raw = await ExecuteAsync("buffer", $$"""{"inputs": {{Inputs}} }""");
        Assert.Equal("application/geo+json", raw.Content.Headers.ContentType?.MediaType);
        var collection = await raw.Content.ReadAsStringAsync();
        using var document = await ExecuteAsync("buffer", $$"""{"inputs": {{Inputs}}, "response": "document"}""");
        Assert.Equal("application/json", document.Content.Headers.ContentType?.MediaType);
        using var job = await ExecuteAsync("buffer", $$"""{"inputs": {{Inputs}} }""", async: true);
        Assert.Equal("successful", (string)(await WaitForJobAsync(job.Headers.Location!))["status"]!);

        Assert.Equal($$"""{"result":{{collection}}}""", await document.Content.ReadAsStringAsync());
        Assert.Equal($$"""{"result":{{collection}}}""", await Client.GetStringAsync(job.Headers.Location + "/results"));
        // A 32-gon in CRS84, every ordinate written with at most 9 decimals.
        var ring = JsonNode.Parse(collection)!["features"]![0]!["geometry"]!["coordinates"]![0]![0]!.AsArray();
        Assert.Equal(33, ring.Count);
        Assert.All(ring.SelectMany(p => p!.AsArray()), o => Assert.True(o!.ToJsonString().Split('.').ElementAtOrDefault(1) is not { Length: > 9 }, o.ToJsonString()));
    }

    [Fact]
    public async Task A_job_with_invalid_input_fails_with_its_reason_and_the_worker_carries_on()
    {
        using var bad = await ExecuteAsync("reproject", $$"""{"inputs": {"input": {{Point}}, "crs": "EPSG:1"} }""", async: true);
        var failed = await WaitForJobAsync(bad.Headers.Location!);
        Assert.Equal("failed", (string)failed["status"]!);
        Assert.Contains("EPSG:1", (string)failed["message"]!, StringComparison.Ordinal);

        using var good = await ExecuteAsync("centroid", $$"""{"inputs": {"input": {{Point}} } }""", async: true);
        Assert.Equal("successful", (string)(await WaitForJobAsync(good.Headers.Location!))["status"]!);
    }

    /// <summary>An execute request for "echo" as the OGC conformance suite builds it: text, object and bounding-box inputs, outputs by value.</summary>
    private static string EchoRequest(string response) => $$$"""
        {"inputs": {"string": "teststring", "object": {"value": "teststring"}, "bbox": {"bbox": [51.9, 7, 52, 7.1], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
         "outputs": {"string": {"transmissionMode": "value"}, "number": {"transmissionMode": "value"}, "object": {"transmissionMode": "value"}, "bbox": {"transmissionMode": "value"}},
         "response": "{{{response}}}"}
        """;

    [Fact]
    public async Task Raw_output_whose_media_type_the_client_chose_cannot_run_as_a_page_of_this_origin()
    {
        var page = Convert.ToBase64String("<script>alert(document.cookie)</script>"u8.ToArray());
        var request = new JsonObject { ["inputs"] = new JsonObject { ["binary"] = new JsonObject { ["value"] = page, ["mediaType"] = "text/html" } } };

        using var html = await ExecuteAsync("echo", request.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Equal("sandbox; default-src 'none'", Assert.Single(html.Headers.GetValues("Content-Security-Policy")));
    }

    private const string EchoedDocument =
        """{"string":"teststring","object":{"value":"teststring"},"bbox":{"bbox":[51.9,7,52,7.1],"crs":"http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}""";

    [Fact]
    public async Task Echo_returns_one_output_raw_several_as_multipart_related_and_all_in_a_document()
    {
        using var one = await ExecuteAsync("echo", """{"inputs": {"string": "teststring"}}""");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal("text/plain", one.Content.Headers.ContentType?.MediaType);
        Assert.Equal("teststring", await one.Content.ReadAsStringAsync());
        using var number = await ExecuteAsync("echo", """{"inputs": {"number": 2.5}}""");
        Assert.Equal("application/json", number.Content.Headers.ContentType?.MediaType);
        Assert.Equal("2.5", await number.Content.ReadAsStringAsync());

        using var binary = await ExecuteAsync("echo", """{"inputs": {"binary": {"value": "AAECAw==", "mediaType": "image/png"}}}""");
        Assert.Equal("image/png", binary.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0, 1, 2, 3], await binary.Content.ReadAsByteArrayAsync());

        using var several = await ExecuteAsync("echo", EchoRequest("raw"));
        Assert.Equal(HttpStatusCode.OK, several.StatusCode);
        var contentType = several.Content.Headers.ContentType!;
        Assert.Equal("multipart/related", contentType.MediaType);
        var reader = new MultipartReader(contentType.Parameters.Single(p => p.Name == "boundary").Value!, await several.Content.ReadAsStreamAsync());
        var parts = new Dictionary<string, (string? Type, string Body)>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            using var text = new StreamReader(section.Body);
            parts.Add(section.Headers!["Content-ID"].ToString(), (section.ContentType, await text.ReadToEndAsync()));
        }
        Assert.Equal(["<string>", "<object>", "<bbox>"], parts.Keys);
        Assert.Equal(("text/plain; charset=utf-8", "teststring"), parts["<string>"]);
        Assert.Equal(("application/json", """{"value":"teststring"}"""), parts["<object>"]);

        using var document = await ExecuteAsync("echo", EchoRequest("document"));
        Assert.Equal("application/json", document.Content.Headers.ContentType?.MediaType);
        Assert.Equal(EchoedDocument, await document.Content.ReadAsStringAsync());
        using var all = await ExecuteAsync("echo", """{"inputs": {"string": "a", "integer": 7}, "outputs": {}, "response": "document"}""");
        Assert.Equal("""{"string":"a","integer":7}""", await all.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Echo_as_a_job_has_no_results_while_it_pauses_and_its_inputs_as_results_once_done()
    {
        using var paused = await ExecuteAsync("echo", """{"inputs": {"string": "teststring", "pause": 60}}""", async: true);
        Assert.Equal(HttpStatusCode.Created, paused.StatusCode);
        var accepted = JsonNode.Parse(await paused.Content.ReadAsStringAsync())!;
        Assert.Contains(accepted["links"]!.AsArray(), l => (string)l!["rel"]! == "monitor" && (string)l["href"]! == paused.Headers.Location!.ToString());
        using var early = await Client.GetAsync(paused.Headers.Location + "/results");
        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        Assert.Equal("http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/result-not-ready",
            (string)JsonNode.Parse(await early.Content.ReadAsStringAsync())!["type"]!);
        using var dismissal = new HttpRequestMessage(HttpMethod.Delete, paused.Headers.Location);
        dismissal.Headers.Add("X-API-Key", ApiKey); // dismissing is a write
        using var dismissed = await Client.SendAsync(dismissal);
        Assert.Equal("dismissed", (string)JsonNode.Parse(await dismissed.Content.ReadAsStringAsync())!["status"]!);

        using var quick = await ExecuteAsync("echo", EchoRequest("raw"), async: true);
        var done = await WaitForJobAsync(quick.Headers.Location!);
        Assert.Equal("successful", (string)done["status"]!);
        Assert.DoesNotContain(done["links"]!.AsArray(), l => (string)l!["rel"]! == "monitor");
        Assert.Equal(EchoedDocument, await Client.GetStringAsync(quick.Headers.Location + "/results"));
    }

    /// <summary>
    /// As ets-ogcapi-processes10's /req/core/job-creation-input-validation test asks: a wrong media type for the
    /// input that declares one, with <c>Accept: application/json</c>; it takes a 400 labelled application/json.
    /// </summary>
    [Fact]
    public async Task A_wrong_media_type_is_a_400_in_the_json_the_client_accepts()
    {
        const string body = """
            {"inputs": {"string": "teststring", "object": {"value": "teststring"}, "binary": {"type": "wrong/type_5f0c"}},
             "outputs": {"string": {"transmissionMode": "value"}, "binary": {"transmissionMode": "value"}}}
            """;

        using var response = await ExecuteAsync("echo", body, accept: "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("binary", (string)problem["input"]!);
        Assert.NotNull((string?)problem["type"]);
    }

    [Theory]
    [InlineData("buffer", """{"inputs": {"input": {"type": "Point", "coordinates": [10, 50]}, "distance": "far"}}""", "distance")]
    [InlineData("buffer", """{"inputs": {"input": {"type": "Point", "coordinates": [10, 50]}, "distance": 1e400}}""", "distance")]
    [InlineData("buffer", """{"inputs": {"input": {"type": "Point", "coordinates": [10, 50]}, "distance": 99999999999999999999}}""", "distance")]
    [InlineData("buffer", """{"inputs": {"input": {"type": "Point", "coordinates": [10, 50]}}}""", "distance")]
    [InlineData("buffer", """{"inputs": {"input": {"type": "Point", "coordinates": [10, 50]}, "distance": 1, "radius": 2}}""", "radius")]
    [InlineData("nearest", """{"inputs": {"input": {"type": "Point", "coordinates": [10, 50]}, "candidates": {"type": "Point", "coordinates": [1, 1]}, "k": 1e9}}""", "k")]
    [InlineData("centroid", """{"inputs": {"input": {"collection": "missing"}}}""", "input")]
    [InlineData("centroid", """{"inputs": {"input": {"type": "Point", "coordinates": [1000, 50]}}}""", "input")]
    [InlineData("centroid", """{"inputs": {"input": [[[[[[1]]]]]]}}""", "input")]
    [InlineData("echo", """{"inputs": {}}""", "inputs")]
    [InlineData("echo", """{"inputs": {"number": "1"}}""", "number")]
    [InlineData("echo", """{"inputs": {"number": 1e400}}""", "number")]
    [InlineData("echo", """{"inputs": {"integer": 99999999999999999999}}""", "integer")]
    [InlineData("echo", """{"inputs": {"string": "a", "strng": "b"}}""", "strng")]
    [InlineData("echo", """{"inputs": {"bbox": {"bbox": [1, 2, 3]}}}""", "bbox")]
    [InlineData("echo", """{"inputs": {"binary": {"type": "wrong/type"}}}""", "binary")]
    [InlineData("ingest", """{"inputs": {"object": "../../etc/passwd", "collection": "x"}}""", "object")]
    [InlineData("ingest", """{"inputs": {"object": "raw/never-uploaded.geojson", "collection": "x"}}""", "object")]
    [InlineData("ingest", """{"inputs": {"object": "raw/a.geojson", "collection": "x", "mode": "explode"}}""", "mode")]
    [InlineData("ingest", """{"inputs": {"object": "raw/a.geojson", "collection": "x", "crs": 0}}""", "crs")]
    [InlineData("ingest", """{"inputs": {"object": "raw/a.geojson", "collection": "x", "mdoe": "create"}}""", "mdoe")]
    public async Task An_invalid_input_is_a_400_naming_it(string process, string body, string input)
    {
        using var response = await ExecuteAsync(process, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(input, (string)problem["input"]!);
        Assert.Contains($"'{input}'", (string)problem["title"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"inputs\": ")]
    [InlineData("[1, 2]")]
    [InlineData("{\"inputs\": [1]}")]
    [InlineData("{\"inputs\": {}, \"response\": \"stream\"}")]
    [InlineData("{\"inputs\": {}, \"outputs\": {\"nope\": {}}}")]
    [InlineData("{\"inputs\": {}, \"subscriber\": {}}")]
    public async Task A_malformed_execute_request_is_a_400(string body)
    {
        using var response = await ExecuteAsync("area-length", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Deep_nesting_is_refused_before_parsing_it_all()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);
        using var response = await ExecuteAsync("centroid", $$"""{"inputs": {"input": {{deep}} } }""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("depth", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unknown_processes_missing_keys_and_other_media_types_are_refused()
    {
        using var unknown = await ExecuteAsync("teleport", "{}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/no-such-process",
            (string)JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["type"]!);
        using var description = await Client.GetAsync("processes/teleport");
        Assert.Equal(HttpStatusCode.NotFound, description.StatusCode);

        using var anonymous = await ExecuteAsync("centroid", $$"""{"inputs": {"input": {{Point}} } }""", authorized: false);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        // Security:AnonymousProcesses opens echo, and only echo, to callers without a key (as OGC's suite calls it).
        using var open = await ExecuteAsync("echo", """{"inputs": {"string": "teststring"}}""", authorized: false);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        using var openAsync = await ExecuteAsync("echo", """{"inputs": {"string": "teststring"}}""", async: true, authorized: false);
        Assert.Equal(HttpStatusCode.Created, openAsync.StatusCode);
        using var form = await ExecuteAsync("centroid", "input=1", mediaType: "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
    }
}
