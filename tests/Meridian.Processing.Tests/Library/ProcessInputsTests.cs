using System.Text.Json.Nodes;
using Meridian.Processing.Library;
using Meridian.Processing.Processes;

namespace Meridian.Processing.Tests.Library;

public sealed class ProcessInputsTests
{
    private static readonly ProcessDescription Description = new("p", "P", "", "1", new JsonObject
    {
        ["distance"] = new JsonObject { ["minOccurs"] = 1 },
        ["k"] = new JsonObject { ["minOccurs"] = 0 },
        ["flag"] = new JsonObject { ["minOccurs"] = 0 },
        ["mode"] = new JsonObject { ["minOccurs"] = 0 },
    }, []);

    private static ProcessInputs Read(string json) => new(JsonNode.Parse(json)!.AsObject(), Description);

    [Theory]
    [InlineData("""{"distance": 1, "nope": 2}""", "nope", "Unknown input")]
    [InlineData("""{"k": 2}""", "distance", "required")]
    [InlineData("""{"distance": null}""", "distance", "required")]
    public void Constructor_NamesUnknownAndMissingInputs(string json, string input, string expected)
    {
        var error = Assert.Throws<ProcessInputException>(() => Read(json));
        Assert.Equal(input, error.Input);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"12\"")]
    [InlineData("true")]
    [InlineData("[1]")]
    [InlineData("{\"nested\": {\"deeper\": 1}}")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1e308")]
    [InlineData("-5")]
    public void Number_WrongTypeOrOutOfRange_NamesTheInput(string value)
    {
        var inputs = Read($$"""{"distance": {{value}}}""");
        var error = Assert.Throws<ProcessInputException>(() => inputs.Number("distance", 0, 1000));
        Assert.Equal("distance", error.Input);
    }

    [Fact]
    public void Number_QualifiedValue_Unwrapped() =>
        Assert.Equal(12.5, Read("""{"distance": {"value": 12.5}}""").Number("distance", 0, 100));

    [Theory]
    [InlineData("2.5")]
    [InlineData("99999999999999999999")]
    [InlineData("1000")]
    [InlineData("\"3\"")]
    public void Integer_NotAnIntegerInRange_NamesTheInput(string value)
    {
        var inputs = Read($$"""{"distance": 1, "k": {{value}}}""");
        Assert.Equal("k", Assert.Throws<ProcessInputException>(() => inputs.Integer("k", 1, 100, 1)).Input);
    }

    [Fact]
    public void Boolean_And_Text_CheckTheirTypes()
    {
        var inputs = Read("""{"distance": 1, "flag": "yes", "mode": 3}""");
        Assert.Equal("flag", Assert.Throws<ProcessInputException>(() => inputs.Boolean("flag", false)).Input);
        Assert.Equal("mode", Assert.Throws<ProcessInputException>(() => inputs.Text("mode")).Input);
        Assert.Equal("mode", Assert.Throws<ProcessInputException>(() => Read("""{"distance": 1, "mode": "c"}""").Text("mode", ["a", "b"])).Input);
    }
}
