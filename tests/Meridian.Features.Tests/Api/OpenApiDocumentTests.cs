using Meridian.Features.Api;
using Meridian.Storage.Schema;

namespace Meridian.Features.Tests.Api;

public sealed class OpenApiDocumentTests
{
    private static CollectionSchema Schema(params PropertySchema[] properties) =>
        new("events", "Events", null, GeometryKind.Point, 4326, FeatureIdKind.Integer, properties, "datetime");

    private static List<string> Names(CollectionSchema schema) => OpenApiDocument.ItemsParameters(schema)
        .Select(p => p["name"]?.GetValue<string>() ?? p["$ref"]!.GetValue<string>().Split('/')[^1]).ToList();

    /// <summary>
    /// /req/oas30/oas-impl: OpenAPI 3.0 wants each parameter once per operation; columns named like a standard
    /// parameter used to add a second <c>datetime</c> or <c>limit</c>, making the whole /api document invalid.
    /// </summary>
    [Fact]
    public void ItemsParameters_PropertiesNamedLikeStandardParameters_AreListedOnce()
    {
        var names = Names(Schema(
            new PropertySchema("datetime", PropertyType.DateTime), new PropertySchema("limit", PropertyType.Integer),
            new PropertySchema("f", PropertyType.String), new PropertySchema("name", PropertyType.String)));

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("name", names);
        Assert.Contains("datetime", names);
        Assert.DoesNotContain("f", names);
    }

    [Fact]
    public void ItemsParameters_QueryableProperties_AreParameters()
    {
        var names = Names(Schema(new PropertySchema("name", PropertyType.String), new PropertySchema("tags", PropertyType.Other)));

        Assert.Contains("name", names);
        Assert.DoesNotContain("tags", names);
        Assert.Contains("bbox", names);
    }
}
