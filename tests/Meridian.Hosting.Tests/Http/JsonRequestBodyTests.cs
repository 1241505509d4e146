using System.Text;
using Meridian.Hosting.Http;
using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Tests.Http;

public sealed class JsonRequestBodyTests
{
    private static Task<System.Text.Json.JsonDocument> ReadAsync(byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);
        return JsonRequestBody.ReadAsync(context, 1024, "Test:MaxBytes", "application/json");
    }

    private static byte[] Json(string before, byte[] inside, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. inside, .. Encoding.UTF8.GetBytes(after)];

    // System.Text.Json parses these strings but throws when one is read: the body is refused up front instead, naming where.
    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 }, "/properties/a~1b/1")]
    [InlineData(new byte[] { 0xFF }, "/properties/a~1b/1")]
    [InlineData(new byte[] { 0x5C, 0x75, 0x64, 0x38, 0x30, 0x30 }, "/properties/a~1b/1")]
    [InlineData(new byte[] { 0x5C, 0x75, 0x64, 0x63, 0x30, 0x30, 0x78 }, "/properties/a~1b/1")]
    public async Task A_string_that_is_no_text_is_a_400_naming_it(byte[] text, string pointer)
    {
        var body = Json("""{"type": "Feature", "properties": {"a/b": ["fine", " """, text, """ "]}}""");

        var problem = await Assert.ThrowsAsync<ProblemException>(() => ReadAsync(body));

        Assert.Equal(StatusCodes.Status400BadRequest, problem.Status);
        Assert.Equal(ProblemTypes.InvalidBody, problem.Type);
        Assert.Contains($"'{pointer}'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_name_that_is_no_text_is_a_400()
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => ReadAsync(Json("""{"ok": {" """, [0xC3, 0x28], """ ": 1}}""")));

        Assert.Contains("'/ok/'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_with_escapes_and_surrogate_pairs_is_read()
    {
        using var document = await ReadAsync(Encoding.UTF8.GetBytes("""{"name": "Z\u00fcrich \ud83d\ude00 北京 \"q\""}"""));

        Assert.Equal("Zürich 😀 北京 \"q\"", document.RootElement.GetProperty("name").GetString());
    }
}
