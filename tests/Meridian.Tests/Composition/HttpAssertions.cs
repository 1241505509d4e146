using System.Net;
using System.Text.Json.Nodes;

namespace Meridian.Tests.Composition;

/// <summary>The checks every HTTP test makes on a JSON answer or a problem answer, in one place.</summary>
public static class HttpAssertions
{
    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string url, string expectedType = "application/json")
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expectedType, response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public static async Task<JsonNode> GetProblemAsync(this HttpClient client, string url, HttpStatusCode status, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        using var response = await client.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.StartsWith("urn:meridian:problem:", problem["type"]!.GetValue<string>());
        return problem;
    }
}
