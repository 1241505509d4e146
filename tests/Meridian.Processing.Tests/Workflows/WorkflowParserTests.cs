using System.Text.Json.Nodes;
using Meridian.Processing.Workflows;

namespace Meridian.Processing.Tests.Workflows;

public sealed class WorkflowParserTests
{
    private static readonly IReadOnlySet<string> Processes = new HashSet<string> { "buffer", "mirror" };

    private static IReadOnlyList<string> Errors(string json)
    {
        var error = Assert.Throws<WorkflowDefinitionException>(() => WorkflowParser.Parse(JsonNode.Parse(json), Processes));
        return error.Errors.Select(e => e.ToString()).ToList();
    }

    [Fact]
    public void Parse_ValidDefinition_BuildsEveryState()
    {
        var definition = WorkflowParser.Parse(JsonNode.Parse("""
            {"Name":"ok","StartAt":"A","States":{
              "A":{"Type":"Task","Process":"buffer","Next":"B","Retry":[{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}]},
              "B":{"Type":"Choice","Choices":[{"Variable":"$.n","GreaterThan":1,"Next":"C"}],"Default":"W"},
              "W":{"Type":"Wait","Seconds":1,"Next":"A"},
              "C":{"Type":"Parallel","Next":"M","Branches":[{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}]},
              "M":{"Type":"Map","End":true,"Iterator":{"StartAt":"Y","States":{"Y":{"Type":"Task","Process":"mirror","End":true}}}},
              "F":{"Type":"Fail","Error":"E"}}}
            """), Processes);

        Assert.Equal(6, definition.Machine.States.Count);
        var retry = Assert.Single(((TaskState)definition.Machine.States["A"]).Retry);
        Assert.Equal((1.0, 2.0, 3), (retry.IntervalSeconds, retry.BackoffRate, retry.MaxAttempts));
        Assert.Equal(WorkflowParser.DefaultMaxConcurrency, ((MapState)definition.Machine.States["M"]).MaxConcurrency);
    }

    [Fact]
    public void Parse_EveryMistake_IsListedWithItsPath()
    {
        var errors = Errors("""
            {"Name":"bad name!","StartAt":"Nowhere","Extra":1,"States":{
              "A":{"Type":"Task","Process":"nope","Next":"Missing"},
              "B":{"Type":"Task","Process":"mirror","End":true,"ResultPath":"$..x"},
              "C":{"Type":"Teleport"}}}
            """);

        Assert.Contains("$.Name: a workflow name is 1 to 64 letters, digits, '_' or '-'", errors);
        Assert.Contains("$.StartAt: there is no state 'Nowhere'", errors);
        Assert.Contains(errors, e => e.StartsWith("$.Extra: unknown member", StringComparison.Ordinal));
        Assert.Contains("$.States['A'].Process: there is no process 'nope' on this server", errors);
        Assert.Contains("$.States['A'].Next: there is no state 'Missing' here", errors);
        Assert.Contains(errors, e => e.StartsWith("$.States['B'].ResultPath: not a path", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.States['C'].Type: 'Teleport' is not a state type", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UnreachableState_IsAnError_ButACycleIsNot()
    {
        var errors = Errors("""
            {"Name":"w","StartAt":"A","States":{
              "A":{"Type":"Wait","Seconds":1,"Next":"B"},
              "B":{"Type":"Choice","Choices":[{"Variable":"$.done","Equals":true,"Next":"End"}],"Default":"A"},
              "End":{"Type":"Succeed"},
              "Orphan":{"Type":"Succeed"}}}
            """);

        Assert.Equal(["$.States['Orphan']: no path from StartAt reaches the state 'Orphan'"], errors);
    }

    [Fact]
    public void Parse_MissingStartAt_AndBothNextAndEnd_AreErrors()
    {
        var errors = Errors("""{"Name":"w","States":{"A":{"Type":"Wait","Seconds":1,"Next":"A","End":true}}}""");

        Assert.Contains("$.StartAt: StartAt is required", errors);
        Assert.Contains("$.States['A']: a state has either Next or \"End\": true", errors);
    }

    [Fact]
    public void Parse_NextIntoAnotherScope_IsAnError()
    {
        var errors = Errors("""
            {"Name":"w","StartAt":"P","States":{
              "P":{"Type":"Parallel","Next":"Done","Branches":[{"StartAt":"X","States":{"X":{"Type":"Wait","Seconds":0,"Next":"Done"}}}]},
              "Done":{"Type":"Succeed"}}}
            """);

        Assert.Equal(["$.States['P'].Branches[0].States['X'].Next: there is no state 'Done' here"], errors);
    }

    [Fact]
    public void Parse_DeepNesting_IsRefused()
    {
        var branch = """{"StartAt":"S","States":{"S":{"Type":"Succeed"}}}""";
        for (var i = 0; i < 12; i++) branch = $$$$"""{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{{{{branch}}}}]}}}""";
        var json = (JsonObject)JsonNode.Parse(branch, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 200 })!;
        json["Name"] = "deep";

        Assert.Contains(Errors(json.ToJsonString()), e => e.EndsWith($"Parallel and Map states nest at most {WorkflowParser.MaxNesting} deep", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_TooManyStates_IsRefusedBeforeTheyAreRead()
    {
        var states = string.Join(",", Enumerable.Range(0, WorkflowParser.MaxStates + 1).Select(i => $"\"S{i}\":" + """
            {"Type":"Map","MaxConcurrency":100000,"End":true,"Iterator":{"StartAt":"I","States":{"I":{"Type":"Succeed"}}}}
            """));
        var errors = Errors("""{"Name":"big","StartAt":"S0","States":{""" + states + "}}");

        Assert.Equal([$"$.States: a workflow has at most {WorkflowParser.MaxStates} states in all"], errors);
    }

    [Fact]
    public void Parse_HugeFanOut_IsRefused()
    {
        var errors = Errors("""
            {"Name":"fan","StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":100000,"End":true,"Iterator":{"StartAt":"I","States":{"I":{"Type":"Succeed"}}}}}}
            """);

        Assert.Equal([$"$.States['M'].MaxConcurrency: MaxConcurrency is an integer from 1 to {WorkflowParser.MaxConcurrencyLimit}"], errors);
    }

    [Theory]
    [InlineData("""{"Variable":"$.a","Equals":1,"GreaterThan":2,"Next":"E"}""", "exactly one operator")]
    [InlineData("""{"Variable":"a","Equals":1,"Next":"E"}""", "not a path")]
    [InlineData("""{"Variable":"$.a","IsPresent":"yes","Next":"E"}""", "IsPresent is true or false")]
    [InlineData("""{"And":[],"Next":"E"}""", "And takes an array")]
    [InlineData("""{"Not":[1],"Next":"E"}""", "Not takes one condition object")]
    public void Parse_BadChoiceRule_IsAnError(string rule, string expected)
    {
        var errors = Errors($$$$"""{"Name":"c","StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{{{{rule}}}}]},"E":{"Type":"Succeed"}}}""");

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"a.$":"$.x["}""", "'[' at 3 is not closed")]
    [InlineData("""{"a.$":5}""", "takes a path string")]
    [InlineData("""{"n":{"deep.$":"x"}}""", "a path starts with '$'")]
    public void Parse_BadParameterPath_IsAnError(string parameters, string expected)
    {
        var errors = Errors($$$$"""{"Name":"p","StartAt":"T","States":{"T":{"Type":"Task","Process":"mirror","Parameters":{{{{parameters}}}},"End":true}}}""");

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"text\"")]
    [InlineData("""{"Name":"x","StartAt":"A","States":[]}""")]
    [InlineData("""{"Name":"x","StartAt":"A","States":{"A":[]}}""")]
    [InlineData("""{"Name":"x","StartAt":"A","States":{"A":{"Type":"Task","Process":"mirror","End":true,"Retry":[{"ErrorEquals":[1]}]}}}""")]
    [InlineData("""{"Name":"x","StartAt":"A","States":{"A":{"Type":"Wait","Seconds":-1,"End":true}}}""")]
    [InlineData("""{"Name":"x","StartAt":"A","States":{"A":{"Type":"Task","Process":"mirror","End":true,"Retry":[{"ErrorEquals":["E"],"MaxAttempts":1.5}]}}}""")]
    public void Parse_WrongShapes_AreErrorsNotExceptions(string json)
    {
        Assert.NotEmpty(Errors(json));
    }
}
