using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Ingestion;
using Meridian.Ingestion.Jobs;

namespace Meridian.Cli;

/// <summary>
/// <c>meridian ingest --server URL</c>: streams each file to a running server's <c>POST /ingest</c>, then follows
/// the job until it ends, showing its progress and its report.
/// </summary>
internal static class RemoteIngest
{
    public static async Task<int> RunAsync(Uri server, FileInfo[] files, IngestRequest request, CancellationToken ct)
    {
        using var http = RemoteServer.Client(server);
        var failed = 0;
        foreach (var (file, index) in files.Select((f, i) => (f, i)))
        {
            var mode = index == 0 ? request.Mode : IngestMode.Append;
            try
            {
                if (!await IngestOneAsync(http, file, request, mode, ct)) failed++;
            }
            catch (HttpRequestException e)
            {
                await Console.Error.WriteLineAsync($"error: {file.Name}: cannot reach {server}: {e.Message}");
                failed++;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync($"{file.Name}: cancelled; its job on the server was dismissed (a load not committed yet rolls back)");
                return Interruption.ExitCode;
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private static async Task<bool> IngestOneAsync(HttpClient http, FileInfo file, IngestRequest request, IngestMode mode, CancellationToken ct)
    {
        await using var stream = file.OpenRead();
        using var form = new MultipartFormDataContent
        {
            { new StringContent(request.Collection), "collection" },
            { new StringContent(JsonNamingPolicy.CamelCase.ConvertName(mode.ToString())), "mode" },
            { new StringContent(JsonNamingPolicy.CamelCase.ConvertName(request.Validation.InvalidGeometries.ToString())), "invalidGeometries" },
        };
        if (request.Layer is { } layer) form.Add(new StringContent(layer), "layer");
        if (request.Crs?.Epsg is { } code) form.Add(new StringContent(code.ToString(System.Globalization.CultureInfo.InvariantCulture)), "crs");
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", file.Name);

        // Expect: 100-continue lets the server refuse (no key, no write scope, too large) before the file is sent:
        // without it a refusal of a large upload arrives while the file is still being written, and the client
        // only sees the connection closed under it, not the server's reason.
        using var upload = new HttpRequestMessage(HttpMethod.Post, "ingest") { Content = form };
        upload.Headers.ExpectContinue = true;
        using var response = await http.SendAsync(upload, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            await Console.Error.WriteLineAsync($"error: {file.Name}: the server answered {(int)response.StatusCode}: {RemoteServer.Detail(body)}");
            return false;
        }
        var jobUrl = response.Headers.Location ?? throw new InvalidOperationException("The server accepted the file but named no job.");
        try
        {
            return await FollowAsync(http, jobUrl, file, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl-C stops the ingest, not only the watching: the server's job is dismissed, which rolls its load back.
            using var dismiss = await http.DeleteAsync(jobUrl, CancellationToken.None);
            throw;
        }
    }

    private static Task<bool> FollowAsync(HttpClient http, Uri jobUrl, FileInfo file, CancellationToken ct)
    {
        var progress = new ProgressLine(file.Name);
        return RemoteServer.FollowJobAsync(http, jobUrl, async (status, ended) =>
        {
            if (status["details"] is JsonObject details && details.Deserialize<IngestProgress>(IngestJobInputs.Json) is var counts)
                progress.Report(counts);
            if (ended)
            {
                progress.Done();
                await Console.Error.WriteLineAsync($"{file.Name}: {(string?)status["status"]}: {(string?)status["message"]}");
            }
        }, ct);
    }
}
