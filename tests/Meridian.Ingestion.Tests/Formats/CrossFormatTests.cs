using Meridian.Ingestion.Formats;
using NetTopologySuite.Geometries;
using static Meridian.Ingestion.Tests.Formats.FormatInput;

namespace Meridian.Ingestion.Tests.Formats;

/// <summary>The same Natural Earth data in every format reads as the same features.</summary>
public sealed class CrossFormatTests
{
    [Theory]
    [InlineData("formats/ne_10m_airports.geojsonl", "ne_10m_airports")]
    [InlineData("formats/ne_10m_airports.gpx", "waypoints")]
    [InlineData("formats/ne_10m_airports.kml", "ne_10m_airports")]
    [InlineData("formats/ne_10m_airports.lonlat.csv", "ne_10m_airports")]
    [InlineData("formats/ne_10m_airports.shp.zip", "ne_10m_airports")]
    [InlineData("formats/naturalearth_multilayer.gpkg", "airports")]
    public async Task Airports_EveryFormat_Has891PointsAndTheSameFirstAirport(string path, string layerName)
    {
        var layer = (await ReadDataAsync(path)).Single(l => l.Name == layerName);

        Assert.Equal(891, layer.Features.Count);
        Assert.Empty(layer.Rejected);
        Assert.All(layer.Features, f => Assert.IsType<Point>(f.Geometry));
        Assert.Equal(Enumerable.Range(1, 891).Select(i => (long)i), layer.Features.Select(f => f.Record));
        var sahnewal = layer.Features.Single(f => (string?)f.Property("name") == "Sahnewal");
        Assert.Equal(75.95707, sahnewal.Geometry!.Coordinate.X, 4);
        Assert.Equal(30.85036, sahnewal.Geometry.Coordinate.Y, 4);
    }

    [Theory]
    [InlineData("formats/ne_110m_admin_0_countries.kml", "ne_110m_admin_0_countries")]
    [InlineData("formats/ne_110m_admin_0_countries.wkt.csv", "ne_110m_admin_0_countries")]
    [InlineData("formats/ne_110m_admin_0_countries.shp.zip", "ne_110m_admin_0_countries")]
    [InlineData("formats/ne_110m_admin_0_countries.gpkg", "ne_110m_admin_0_countries")]
    [InlineData("formats/naturalearth_multilayer.gpkg", "countries")]
    [InlineData("formats/ne_110m_admin_0_countries.fgb", "ne_110m_admin_0_countries")]
    public async Task Countries_EveryFormat_Has177PolygonsAndTheSameFrance(string path, string layerName)
    {
        var layer = (await ReadDataAsync(path)).Single(l => l.Name == layerName);

        Assert.Equal(177, layer.Features.Count);
        Assert.Empty(layer.Rejected);
        Assert.All(layer.Features, f => Assert.True(f.Geometry is Polygon or MultiPolygon, $"record {f.Record} is {f.Geometry?.GeometryType}"));
        var france = layer.Features.Single(f => (string?)f.Property("NAME") == "France");
        Assert.IsType<MultiPolygon>(france.Geometry);
        Assert.Equal(new Envelope(-54.52, 9.56, 2.05, 51.15), Rounded(france.Geometry!.EnvelopeInternal));
    }

    private static Envelope Rounded(Envelope e) =>
        new(Math.Round(e.MinX, 2), Math.Round(e.MaxX, 2), Math.Round(e.MinY, 2), Math.Round(e.MaxY, 2));

    [Theory]
    [InlineData("formats/ne_110m_populated_places_simple_epsg3857.geojson", "ne_110m_populated_places_simple_epsg3857", 3857)]
    [InlineData("formats/ne_110m_admin_0_countries.gpkg", "ne_110m_admin_0_countries", 4326)]
    public async Task Crs_DeclaredByTheFile_IsTheLayerCrs(string path, string layerName, int epsg)
    {
        var layer = (await ReadDataAsync(path)).Single(l => l.Name == layerName);

        Assert.Equal(SourceCrs.FromEpsg(epsg), layer.Layer.Crs);
    }
}
