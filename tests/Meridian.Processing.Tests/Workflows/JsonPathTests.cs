using System.Text.Json.Nodes;
using Meridian.Processing.Workflows;

namespace Meridian.Processing.Tests.Workflows;

public sealed class JsonPathTests
{
    [Theory]
    [InlineData("$", """{"a":{"b":[1,{"c":2}]}}""")]
    [InlineData("$.a.b[1].c", "2")]
    [InlineData("$['a'].b[0]", "1")]
    [InlineData("$.a['b'][1]", """{"c":2}""")]
    public void TryGet_NamesOneValue(string path, string expected)
    {
        var root = JsonNode.Parse("""{"a":{"b":[1,{"c":2}]}}""");

        Assert.True(JsonPath.Parse(path).TryGet(root, out var value));
        Assert.Equal(expected, value!.ToJsonString());
    }

    [Theory]
    [InlineData("$.x")]
    [InlineData("$.a.b[5]")]
    [InlineData("$.a.b.c")]
    public void TryGet_MissingValue_IsFalse(string path) =>
        Assert.False(JsonPath.Parse(path).TryGet(JsonNode.Parse("""{"a":{"b":[1]}}"""), out _));

    [Theory]
    [InlineData("", "a path starts with '$'")]
    [InlineData("a.b", "a path starts with '$'")]
    [InlineData("$.", "'' at 2 is not a member name")]
    [InlineData("$..a", "'' at 2 is not a member name")]
    [InlineData("$.a[*]", "'[*]' at 3 is neither an index nor a quoted name")]
    [InlineData("$.a[-1]", "'[-1]' at 3 is neither an index nor a quoted name")]
    [InlineData("$.a[?(@.x)]", "'[?(@.x)]' at 3 is neither an index nor a quoted name")]
    [InlineData("$x", "unexpected 'x' at 1")]
    public void TryParse_NotAPath_SaysWhy(string text, string expected)
    {
        Assert.Null(JsonPath.TryParse(text, out var error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_CreatesObjectsOnTheWay_AndRootReplaces()
    {
        var root = JsonNode.Parse("""{"a":1}""");

        Assert.Equal("""{"a":1,"r":{"s":[2]}}""", JsonPath.Parse("$.r.s").Set(root, JsonNode.Parse("[2]"))!.ToJsonString());
        Assert.Equal("5", JsonPath.Parse("$").Set(root, JsonValue.Create(5))!.ToJsonString());
    }

    [Fact]
    public void Set_IntoSomethingThatIsNotAnObject_IsAResultPathError()
    {
        var error = Assert.Throws<WorkflowRuntimeException>(() => JsonPath.Parse("$.a.b").Set(JsonNode.Parse("""{"a":[1]}"""), JsonValue.Create(1)));

        Assert.Equal(WorkflowErrors.ResultPathMatchFailure, error.Error);
    }
}
