using Meridian.Features.Cql2;

namespace Meridian.Features.Tests.Cql2;

/// <summary>Every example filter of the standard, written both ways, parses to one expression.</summary>
public sealed class Cql2StandardExampleTests
{
    [Theory]
    [MemberData(nameof(Cql2StandardExamples.All), MemberType = typeof(Cql2StandardExamples))]
    public void Parse_StandardExample_TextAndJsonGiveTheSameExpression(string id, string text, string json)
    {
        var fromText = Cql2TextParser.Parse(text);
        var fromJson = Cql2JsonParser.Parse(json);

        Assert.True(fromJson.Equals(fromText), $"{id}:\n text: {fromText}\n json: {fromJson}");
    }

    [Theory]
    [MemberData(nameof(Cql2StandardExamples.All), MemberType = typeof(Cql2StandardExamples))]
    public void ToString_StandardExample_ParsesBackToTheSameExpression(string id, string text, string json)
    {
        _ = json;
        var expression = Cql2TextParser.Parse(text);

        var again = Cql2TextParser.Parse(expression.ToString());

        Assert.True(again.Equals(expression), $"{id}: {expression}");
    }

    [Fact]
    public void All_StandardExamples_CoverEveryOperatorOfTheLanguage()
    {
        var text = string.Join("\n", Cql2StandardExamples.All().Select(row => (string)row[1]).ToArray()).ToUpperInvariant();

        foreach (var word in new[]
                 {
                     "AND", "OR", "NOT", "LIKE", "BETWEEN", " IN ", "IS NULL", "CASEI", "ACCENTI", "DATE(", "TIMESTAMP(", "INTERVAL(",
                     "BBOX(", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION",
                     "S_INTERSECTS", "S_EQUALS", "S_DISJOINT", "S_TOUCHES", "S_WITHIN", "S_OVERLAPS", "S_CROSSES", "S_CONTAINS",
                     "T_AFTER", "T_BEFORE", "T_CONTAINS", "T_DISJOINT", "T_DURING", "T_EQUALS", "T_FINISHEDBY", "T_FINISHES",
                     "T_INTERSECTS", "T_MEETS", "T_METBY", "T_OVERLAPPEDBY", "T_OVERLAPS", "T_STARTEDBY", "T_STARTS",
                     "A_EQUALS", "A_CONTAINS", "A_CONTAINEDBY", "A_OVERLAPS", " + ", " - ", " * ", " / ", " % ", " DIV ", " ^ ",
                 })
        {
            Assert.Contains(word, text, StringComparison.Ordinal);
        }
    }
}
