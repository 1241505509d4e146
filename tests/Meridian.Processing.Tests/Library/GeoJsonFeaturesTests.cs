using System.Text.Json.Nodes;
using Meridian.Processing.Library;
using Meridian.Processing.Processes;
using Meridian.Storage.Schema;

namespace Meridian.Processing.Tests.Library;

public sealed class GeoJsonFeaturesTests
{
    [Fact]
    public async Task Read_FeatureCollection_InfersPropertyTypes()
    {
        var set = GeoJsonFeatures.Read("input", JsonNode.Parse("""
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "id": 7, "geometry": {"type": "Point", "coordinates": [1, 2]}, "properties": {"n": 1, "x": 1, "s": "a", "b": true, "o": {"k": 1}}},
              {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": [[3, 4]]}, "properties": {"n": 2, "x": 1.5, "s": 5, "b": null}}]}
            """)!.AsObject());

        Assert.Equal(GeometryKind.MultiPoint, set.GeometryType);
        Assert.Equal([("n", PropertyType.Integer), ("x", PropertyType.Number), ("s", PropertyType.String), ("b", PropertyType.Boolean), ("o", PropertyType.Other)],
            set.Properties.Select(p => (p.Name, p.Type)));
        var features = await set.ToListAsync(CancellationToken.None);
        Assert.Equal("7", features[0].Id);
        Assert.Equal(1.0, features[0].Properties["x"]);
        Assert.Equal("5", features[1].Properties["s"]);
        Assert.Equal("{\"k\":1}", features[0].Properties["o"]);
    }

    [Theory]
    [InlineData("""{"type": "Feature"}""", "missing")]
    [InlineData("""{"type": "Point", "coordinates": [200, 0]}""", "outside longitude")]
    [InlineData("""{"type": "Point", "coordinates": ["a", 0]}""", "not valid GeoJSON")]
    [InlineData("""{"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}""", "not valid GeoJSON")]
    [InlineData("""{"type": "Point", "coordinates": []}""", "")]
    [InlineData("""{"type": "FeatureCollection", "features": 3}""", "'features' array")]
    [InlineData("""{"type": "FeatureCollection", "features": [1]}""", "features[0]")]
    [InlineData("""{"type": "Circle", "radius": 3}""", "must be GeoJSON")]
    [InlineData("""{"kind": "nothing"}""", "must be GeoJSON")]
    public void Read_Malformed_NamesTheInput(string json, string expected)
    {
        var error = Assert.Throws<ProcessInputException>(() => GeoJsonFeatures.Read("input", JsonNode.Parse(json)!.AsObject()));
        Assert.Equal("input", error.Input);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
