using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Tests.Problems;

public sealed class ProblemWriterTests
{
    [Theory]
    [InlineData(null, "application/problem+json")]
    [InlineData("*/*", "application/problem+json")]
    [InlineData("application/*", "application/problem+json")]
    [InlineData("application/problem+json", "application/problem+json")]
    [InlineData("application/json, application/problem+json", "application/problem+json")]
    [InlineData("text/html", "application/problem+json")]
    [InlineData("image/png", "application/problem+json")]
    [InlineData("not a media type;;;", "application/problem+json")]
    [InlineData("application/json;q=abc", "application/json")] // an unreadable q counts as absent, as ASP.NET parses it
    [InlineData("application/json;q=0", "application/problem+json")]
    [InlineData("application/json,,,,;;;,*/*;q=", "application/problem+json")]
    [InlineData("application/json", "application/json")]
    [InlineData("application/json; charset=utf-8", "application/json")]
    [InlineData("text/html, application/json;q=0.9", "application/json")]
    [InlineData("application/json, application/problem+json;q=0", "application/json")]
    [InlineData("application/geo+json, application/json;q=0.8", "application/json")]
    public async Task A_problem_is_problem_json_unless_the_client_rules_that_out_and_takes_plain_json(string? accept, string expected)
    {
        var context = new DefaultHttpContext();
        if (accept is not null) context.Request.Headers.Accept = accept;
        context.Response.Body = new MemoryStream();

        await ProblemWriter.WriteAsync(context, new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 400, Detail = "Bad input." });

        Assert.Equal(expected, context.Response.ContentType?.Split(';')[0]);
        Assert.Equal(400, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        using var body = await System.Text.Json.JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal("Bad input.", body.RootElement.GetProperty("detail").GetString());
    }
}
