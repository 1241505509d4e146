using System.Text;
using System.Text.Json;
using Meridian.Features.Api.Transactions;
using Meridian.Hosting.Problems;
using Meridian.Storage.Schema;

namespace Meridian.Features.Tests.Api.Transactions;

/// <summary>Written features and merge patches against a schema: what they become, and what they never do (throw anything but a 400 problem).</summary>
public sealed class FeatureInputTests
{
    private static readonly CollectionSchema Schema = new("places", "Places", null, GeometryKind.Point, 4326, FeatureIdKind.Integer,
    [
        new("name", PropertyType.String, Nullable: false, MaxLength: 10),
        new("population", PropertyType.Integer),
        new("area", PropertyType.Number),
        new("capital", PropertyType.Boolean),
        new("founded", PropertyType.Date),
        new("observed", PropertyType.DateTime),
        new("tags", PropertyType.Other),
    ], "observed");

    private const string Valid = """
        {"type":"Feature","id":99,"geometry":{"type":"Point","coordinates":[2.35,48.85]},
         "properties":{"name":"Paris","population":2100000,"area":105.4,"capital":true,"founded":"0300-01-01","observed":"2020-01-01T12:00:00+02:00","tags":["a",{"b":1}]}}
        """;

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void ReadFeature_TypesEveryValueAndIgnoresTheId()
    {
        var feature = new FeatureInput(Schema).ReadFeature(Json(Valid));

        Assert.Null(feature.Id);
        Assert.Equal("POINT (2.35 48.85)", feature.Geometry!.AsText());
        Assert.Equal(2_100_000L, feature.Properties["population"]);
        Assert.Equal(105.4, feature.Properties["area"]);
        Assert.Equal(new DateOnly(300, 1, 1), feature.Properties["founded"]);
        Assert.Equal(new DateTimeOffset(2020, 1, 1, 10, 0, 0, TimeSpan.Zero), feature.Properties["observed"]);
        Assert.Equal("""["a",{"b":1}]""", feature.Properties["tags"]);
    }

    [Fact]
    public void ReadPatch_PresentReplaces_NullClears_AbsentStays()
    {
        var patch = new FeatureInput(Schema).ReadPatch(Json("""{"properties":{"area":null,"population":5}}"""));

        Assert.False(patch.SetsGeometry);
        Assert.Equal(new Dictionary<string, object?> { ["area"] = null, ["population"] = 5L }, patch.Properties);
    }

    [Fact]
    public void ReadPatch_NullProperties_ClearsAllAndReportsTheNonNullableOnes()
    {
        var problem = Assert.Throws<ProblemException>(() => new FeatureInput(Schema).ReadPatch(Json("""{"properties":null}""")));

        Assert.Equal(400, problem.Status);
        Assert.Contains("/properties/name", problem.Message);
    }

    [Fact]
    public void ReadPatch_NullGeometry_ClearsIt()
    {
        var patch = new FeatureInput(Schema).ReadPatch(Json("""{"geometry":null}"""));

        Assert.True(patch.SetsGeometry);
        Assert.Null(patch.Geometry);
        Assert.Empty(patch.Properties);
    }

    [Theory]
    [InlineData("""{"type":"Feature","geometry":null,"properties":{"name":"abcdefghijk"}}""", "/properties/name", "longer than 10")]
    [InlineData("""{"type":"Feature","geometry":null,"properties":{"name":"x","population":9223372036854775808}}""", "/properties/population", "integer")]
    [InlineData("""{"type":"Feature","geometry":null,"properties":{"name":"x","population":1.5}}""", "/properties/population", "integer")]
    [InlineData("""{"type":"Feature","geometry":null,"properties":{"name":"x","founded":"2024-02-30"}}""", "/properties/founded", "date")]
    [InlineData("""{"type":"Feature","geometry":{"type":"Point","coordinates":[1]},"properties":{"name":"x"}}""", "/geometry", "")]
    [InlineData("""{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]},"properties":{"name":"x"}}""", "/geometry", "Point")]
    [InlineData("""{"type":"Feature","geometry":{"type":"Circle","coordinates":[0,0]},"properties":{"name":"x"}}""", "/geometry", "")]
    [InlineData("""{"type":"Feature","properties":{"name":"x"}}""", "/geometry", "missing")]
    [InlineData("""{"type":"Feature","geometry":null,"properties":[1]}""", "/properties", "object")]
    public void ReadFeature_Invalid_NamesTheMember(string body, string pointer, string reason)
    {
        var problem = Assert.Throws<ProblemException>(() => new FeatureInput(Schema).ReadFeature(Json(body)));

        Assert.Equal(400, problem.Status);
        Assert.Contains(pointer + ":", problem.Message);
        Assert.Contains(reason, problem.Message);
    }

    private static readonly string[] Fragments =
        ["{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e999", "-0", "NaN", "\"Point\"", "\"coordinates\"", "[[", "]]", "\\u0000", "\"x\"", "0"];

    [Theory]
    [InlineData(20241130, 3000)]
    [InlineData(3, 1500)]
    public void MutatedBodies_ParseOrFailAs400(int seed, int cases)
    {
        var random = new Random(seed);
        var input = new FeatureInput(Schema);
        for (var i = 0; i < cases; i++)
        {
            var text = new StringBuilder(Valid);
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(text.Length);
                if (random.Next(2) == 0) text.Remove(at, Math.Min(random.Next(1, 6), text.Length - at));
                else text.Insert(at, Fragments[random.Next(Fragments.Length)]);
            }
            JsonElement root;
            try
            {
                root = JsonDocument.Parse(text.ToString(), new JsonDocumentOptions { MaxDepth = Meridian.Hosting.Http.JsonRequestBody.MaxDepth }).RootElement;
            }
            catch (JsonException)
            {
                continue; // malformed JSON is JsonRequestBody's 400
            }
            foreach (var read in new Action[] { () => input.ReadFeature(root), () => input.ReadPatch(root) })
            {
                var error = Record.Exception(read);
                Assert.True(error is null or ProblemException { Status: 400 }, $"{text}: {error}");
            }
        }
    }
}
