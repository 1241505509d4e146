using Meridian.Ingestion.Formats;
using Meridian.Testing;

namespace Meridian.Ingestion.Tests.Formats;

public sealed class FeatureFormatsTests
{
    [Theory]
    [InlineData("formats/naturalearth_multilayer.gpkg", "gpkg")]
    [InlineData("formats/ne_10m_airports.geojsonl", "geojsonseq")]
    [InlineData("formats/ne_10m_airports.gpx", "gpx")]
    [InlineData("formats/ne_10m_airports.kml", "kml")]
    [InlineData("formats/ne_10m_airports.lonlat.csv", "csv")]
    [InlineData("formats/ne_10m_airports.shp.zip", "shapefile")]
    [InlineData("formats/ne_10m_populated_places.fgb", "flatgeobuf")]
    [InlineData("formats/ne_110m_admin_0_countries.wkt.csv", "csv")]
    [InlineData("formats/ne_110m_populated_places_simple_epsg3857.geojson", "geojson")]
    [InlineData("broken/csv_lonlat_bad_rows.csv", "csv")]
    [InlineData("broken/geopackage_truncated.gpkg", "gpkg")]
    [InlineData("broken/shapefile_zip_truncated.shp.zip", "shapefile")]
    [InlineData("broken/truncated_mid_coordinate.geojson", "geojson")]
    public void Detect_FileOfAFormat_IsThatFormat(string path, string format)
    {
        Assert.Equal(format, FeatureFormats.Detect(TestData.Path(path)).Name);
    }

    [Theory]
    [InlineData("broken/empty_zero_bytes.geojson", "empty (0 bytes)")]
    [InlineData("broken/empty_zero_bytes.csv", "empty (0 bytes)")]
    [InlineData("broken/empty_zero_bytes.gpkg", "empty (0 bytes)")]
    [InlineData("broken/empty_zero_bytes.shp.zip", "empty (0 bytes)")]
    [InlineData("broken/empty_zero_bytes.tif", "empty (0 bytes)")]
    [InlineData("broken/whitespace_only.geojson", "only whitespace")]
    [InlineData("broken/not_json_html_error_page.geojson", "HTML page")]
    [InlineData("broken/raster_corrupt_tile_data_rasterio.tif", "TIFF image")]
    [InlineData("broken/raster_truncated_half_read.tif", "TIFF image")]
    [InlineData("broken/raster_not_a_tiff_text.tif", "text")]
    public void Detect_FileOfNoFormat_SaysWhatItLooksLike(string path, string expected)
    {
        var error = Assert.Throws<SourceFormatException>(() => FeatureFormats.Detect(TestData.Path(path)));

        Assert.Contains("in no format Meridian reads", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("formats/ne_110m_populated_places_simple_epsg3857.geojson", "places.csv", "geojson")]
    [InlineData("formats/ne_110m_admin_0_countries.gpkg", "countries.bin", "gpkg")]
    [InlineData("formats/ne_110m_admin_0_countries.fgb", "countries.geojson", "flatgeobuf")]
    [InlineData("formats/ne_10m_airports.kml", "airports.xml", "kml")]
    [InlineData("formats/ne_10m_airports.gpx", "airports.kml", "gpx")]
    [InlineData("formats/ne_10m_airports.geojsonl", "airports.json", "geojsonseq")]
    public void Detect_WrongExtension_GoesByContent(string path, string name, string format)
    {
        using var folder = new TempFolder();

        var copy = folder.Write(name, File.ReadAllBytes(TestData.Path(path)));

        Assert.Equal(format, FeatureFormats.Detect(copy).Name);
    }

    [Fact]
    public void Detect_CsvNamedGeoJson_IsRefusedAsText()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<SourceFormatException>(() => FeatureFormats.Detect(folder.Write("points.geojson", "lon,lat\n1,2\n")));

        Assert.Contains("text in no format", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detect_ZipWithOnlyAReadme_IsRefusedSayingWhatItHolds()
    {
        var path = TestData.Path("broken/zip_claims_shapefile_contains_only_readme.shp.zip");

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => FormatInput.ReadAsync(path));

        Assert.Contains("holds no Shapefile", error.Message, StringComparison.Ordinal);
        Assert.Contains("README.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_HaveDistinctNames_AndFindFindsEach()
    {
        Assert.Equal(8, FeatureFormats.All.Select(f => f.Name).Distinct().Count());
        Assert.All(FeatureFormats.All, f => Assert.Same(f, FeatureFormats.Find(f.Name.ToUpperInvariant())));
        Assert.Null(FeatureFormats.Find("dxf"));
    }
}
