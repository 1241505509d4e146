using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Formats.GeoJson;
using NetTopologySuite.Geometries;

namespace Meridian.Tests.Features;

/// <summary>Expected answers computed independently from the dataset's GeoJSON exports, not from a store.</summary>
public static class Cql2Oracle
{
    public static async Task<List<SourceFeature>> FeaturesAsync(string layer)
    {
        await using var stream = File.OpenRead(TestData.Path($"naturalearth/cql2/{layer}.from_gpkg.geojson"));
        var features = new List<SourceFeature>();
        await foreach (var feature in GeoJsonReader.ReadAsync(stream, CancellationToken.None)) features.Add(feature);
        return features;
    }

    public static async Task<int> CountIntersectingAsync(string layer, params Envelope[] boxes)
    {
        var features = await FeaturesAsync(layer);
        return features.Count(f => f.Geometry is { } g && boxes.Any(b => g.Intersects(g.Factory.ToGeometry(b))));
    }

    public static object? Property(SourceFeature feature, string name) =>
        feature.Properties.FirstOrDefault(p => p.Key == name).Value;
}

/// <summary>Independent checks of the conformance cases whose expected count the store tests correct.</summary>
public sealed class Cql2OracleTests
{
    [Fact]
    public async Task CountIntersecting_TwoBoxesOfTheSpatialCase_IsTen()
    {
        var count = await Cql2Oracle.CountIntersectingAsync(Cql2Dataset.Countries, new Envelope(0, 10, 40, 50), new Envelope(-90, -60, 40, 50));

        Assert.Equal(10, count);
    }
}
