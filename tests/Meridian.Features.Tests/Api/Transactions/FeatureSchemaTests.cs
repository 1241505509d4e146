using System.Text.Json.Nodes;
using Meridian.Features.Api.Transactions;
using Meridian.Storage.Schema;

namespace Meridian.Features.Tests.Api.Transactions;

public sealed class FeatureSchemaTests
{
    private static CollectionSchema Schema(params PropertySchema[] properties) =>
        new("places", "Places", null, GeometryKind.Point, 4326, FeatureIdKind.Integer, properties, null);

    /// <summary>
    /// OGC API - Features /req/oas30/oas-impl: the /api document must be valid OpenAPI 3.0, whose Schema Object
    /// wants at least one name in "required". A layer whose columns are all nullable (any plain GeoPackage) made it invalid.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Build_EveryPropertyNullable_HasNoEmptyRequired(bool openApi)
    {
        var schema = FeatureSchema.Build(Schema(new PropertySchema("name", PropertyType.String), new PropertySchema("pop", PropertyType.Integer)), openApi);

        Assert.DoesNotContain(Descendants(schema), n => n is JsonObject o && o["required"] is JsonArray { Count: 0 });
        Assert.NotNull(schema["properties"]!["properties"]!["properties"]!["name"]);
    }

    [Fact]
    public void Build_NonNullableProperty_IsRequired()
    {
        var schema = FeatureSchema.Build(Schema(new PropertySchema("name", PropertyType.String, Nullable: false), new PropertySchema("pop", PropertyType.Integer)), openApi: true);

        var required = schema["properties"]!["properties"]!["required"]!.AsArray().Select(n => n!.GetValue<string>());
        Assert.Equal(["name"], required);
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node) => node switch
    {
        JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Descendants).Prepend(node),
        JsonArray a => a.OfType<JsonNode>().SelectMany(Descendants).Prepend(node),
        _ => [node],
    };
}
