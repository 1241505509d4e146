using System.Text.Json.Nodes;
using Meridian.Processing.Library.Processes;
using Meridian.Processing.Processes;

namespace Meridian.Processing.Tests.Library.Processes;

/// <summary>The echo process: every kind of input comes back as the output of its name; what the description refuses is an input error naming it.</summary>
public sealed class EchoProcessTests
{
    private static Task<JsonObject> EchoAsync(string inputs) => ProcessHarness.RunAsync(new EchoProcess(), inputs);

    [Theory]
    [InlineData("string", "\"teststring\"")]
    [InlineData("string", "\"\"")]
    [InlineData("number", "-12.5")]
    [InlineData("number", "1.7976931348623157E+308")]
    [InlineData("integer", "2147483647")]
    [InlineData("boolean", "false")]
    [InlineData("object", """{"a":[1,{"b":null}],"value":"kept"}""")]
    [InlineData("bbox", """{"bbox":[51.9,7,52,7.1],"crs":"http://www.opengis.net/def/crs/OGC/1.3/CRS84"}""")]
    [InlineData("bbox", """{"bbox":[345345345,345345345,345345345,345345345,1,2]}""")]
    [InlineData("array", "[1.1,2,-3]")]
    [InlineData("array", "[]")]
    public async Task Execute_EachKindOfInput_ComesBackUnchangedUnderItsName(string input, string value)
    {
        var results = await EchoAsync($$"""{"{{input}}": {{value}} }""");

        Assert.Equal([input], results.Select(r => r.Key));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(value), results[input]), results.ToJsonString());
    }

    [Fact]
    public async Task Execute_QualifiedValues_AreUnwrappedExceptForObjects()
    {
        var results = await EchoAsync("""{"string": {"value": "teststring"}, "number": {"value": 3}, "object": {"value": "teststring"}}""");

        Assert.Equal("teststring", (string)results["string"]!);
        Assert.Equal(3, (double)results["number"]!);
        Assert.Equal("""{"value":"teststring"}""", results["object"]!.ToJsonString());
    }

    [Theory]
    [InlineData("\"AAECAw==\"", "application/octet-stream")]
    [InlineData("""{"value": "AAECAw==", "mediaType": "image/tiff; application=geotiff", "encoding": "base64"}""", "image/tiff; application=geotiff")]
    [InlineData("""{"value": "AAECAw==", "format": {"mediaType": "image/png", "encoding": "base64"}}""", "image/png")]
    public async Task Execute_Binary_IsAQualifiedBase64ValueWithItsMediaType(string value, string mediaType)
    {
        var results = await EchoAsync($$"""{"binary": {{value}} }""");

        Assert.Equal($$"""{"value":"AAECAw==","mediaType":"{{mediaType}}","encoding":"base64"}""", results["binary"]!.ToJsonString());
    }

    [Fact]
    public async Task Execute_BinaryByReference_IsTheSameReferenceNotFetched()
    {
        var results = await EchoAsync("""{"binary": {"href": "https://example.invalid/data.tiff", "format": {"mediaType": "image/tiff"}}}""");

        Assert.Equal("""{"href":"https://example.invalid/data.tiff","type":"image/tiff"}""", results["binary"]!.ToJsonString());
    }

    [Fact]
    public void Description_ListsEveryOutputUnderItsInputsName_PlainTextFirst()
    {
        var description = new EchoProcess().Description;

        Assert.Equal("string", description.Inputs.First().Key);
        Assert.Equal(description.Outputs.Select(o => o.Key), description.Inputs.Select(i => i.Key).Where(i => i != EchoProcess.Pause));
        Assert.All(description.Inputs, i => Assert.Equal(0, (int)i.Value!["minOccurs"]!));
    }

    [Theory]
    [InlineData("{}", "inputs")]
    [InlineData("""{"pause": 0}""", "inputs")]
    [InlineData("""{"string": 1}""", "string")]
    [InlineData("""{"number": "1"}""", "number")]
    [InlineData("""{"number": 1e400}""", "number")]
    [InlineData("""{"integer": 1.5}""", "integer")]
    [InlineData("""{"integer": 99999999999999999999}""", "integer")]
    [InlineData("""{"boolean": "true"}""", "boolean")]
    [InlineData("""{"object": [1]}""", "object")]
    [InlineData("""{"bbox": [1, 2, 3, 4]}""", "bbox")]
    [InlineData("""{"bbox": {"bbox": [1, 2, 3]}}""", "bbox")]
    [InlineData("""{"bbox": {"bbox": [1, 2, 3, "4"]}}""", "bbox")]
    [InlineData("""{"bbox": {"bbox": [1, 2, 3, 4], "crs": "not a uri"}}""", "bbox")]
    [InlineData("""{"bbox": {"bbox": [1, 2, 3, 4], "srs": "EPSG:4326"}}""", "bbox")]
    [InlineData("""{"array": [1, "2"]}""", "array")]
    [InlineData("""{"array": {"0": 1}}""", "array")]
    [InlineData("""{"binary": "not base64!"}""", "binary")]
    [InlineData("""{"binary": {"type": "wrong/type"}}""", "binary")]
    [InlineData("""{"binary": {"value": "AAAA", "encoding": "utf-8"}}""", "binary")]
    [InlineData("""{"binary": {"value": "AAAA", "mediaType": "tiff"}}""", "binary")]
    [InlineData("""{"binary": {"href": "file:///etc/passwd"}}""", "binary")]
    [InlineData("""{"string": "a", "pause": 61}""", "pause")]
    [InlineData("""{"string": "a", "pause": -1}""", "pause")]
    [InlineData("""{"string": "a", "colour": "red"}""", "colour")]
    public async Task Execute_InvalidInput_IsAnInputErrorNamingIt(string inputs, string input)
    {
        var error = await Assert.ThrowsAsync<ProcessInputException>(() => EchoAsync(inputs));

        Assert.Equal(input, error.Input);
    }

    [Fact]
    public async Task Execute_Pause_WaitsUntilCancelled()
    {
        using var cancellation = new CancellationTokenSource();
        var execution = new EchoProcess().ExecuteAsync(new ProcessExecution(JsonNode.Parse("""{"string": "a", "pause": 60}""")!.AsObject(), null,
            new Progress<Storage.Jobs.JobProgress>()), cancellation.Token);
        Assert.False(execution.IsCompleted);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => execution);
    }
}
