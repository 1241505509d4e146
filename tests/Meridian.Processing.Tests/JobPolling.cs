using System.Text.Json.Nodes;

namespace Meridian.Processing.Tests;

/// <summary>Follows a job through the API until it ends.</summary>
internal static class JobPolling
{
    public static async Task<JsonNode> WaitForEndAsync(HttpClient client, Uri job, int seconds = 120)
    {
        for (var i = 0; i < seconds * 10; i++)
        {
            var status = JsonNode.Parse(await client.GetStringAsync(job))!;
            if ((string?)status["status"] is "successful" or "failed" or "dismissed") return status;
            await Task.Delay(100);
        }
        throw new TimeoutException($"The job {job} did not end within {seconds} s.");
    }
}
