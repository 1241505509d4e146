using System.Text;
using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Formats.GeoJson;
using Meridian.Testing;
using NetTopologySuite.Geometries;
using static Meridian.Ingestion.Tests.Formats.GeoJson.GeoJsonInput;

namespace Meridian.Ingestion.Tests.Formats.GeoJson;

public sealed class GeoJsonReaderTests
{
    // ---- broken/: every GeoJSON file ends in a SourceFormatException that says what is wrong, or a documented read ----

    [Theory]
    [InlineData("broken/empty_zero_bytes.geojson", "does not contain any JSON tokens")]
    [InlineData("broken/whitespace_only.geojson", "does not contain any JSON tokens")]
    [InlineData("broken/not_json_html_error_page.geojson", "'<' is an invalid start of a value")]
    [InlineData("broken/deeply_nested_arrays_100000.geojson", "maximum configured depth of 128")]
    [InlineData("broken/wrong_type_member_typo.geojson", "top-level type is 'FeatureColection'")]
    [InlineData("broken/nonfinite_nan_infinity_coordinates.geojson", "feature 1: 'N' is an invalid start of a value")]
    [InlineData("broken/truncated_mid_coordinate.geojson", "feature 8: ")]
    public async Task ReadAsync_BrokenFile_ThrowsSourceFormatExceptionSayingWhatIsWrong(string path, string expected)
    {
        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadFileAsync(path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("broken/feature_missing_geometry_member.geojson", "no 'geometry' member")]
    [InlineData("broken/point_with_one_coordinate.geojson", "invalid geometry")]
    [InlineData("broken/wrong_coordinate_nesting_polygon_as_linestring.geojson", "invalid geometry: \"coordinates\" array is not compatible")]
    [InlineData("broken/invalid_geometry_unclosed_ring.geojson", "invalid geometry: points must form a closed linestring")]
    [InlineData("broken/invalid_utf8_bytes.geojson", "a name or text value is not valid UTF-8")]
    public async Task ReadAsync_BrokenFeature_IsARejectedRecordSayingWhatIsWrong(string path, string expected)
    {
        var feature = Assert.Single(await ReadFileAsync(path));

        Assert.Equal(1, feature.Record);
        Assert.Null(feature.Geometry);
        Assert.Contains(expected, feature.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_DeeplyNestedArrays_NamesTheMemberNotAFeatureNumber()
    {
        // The file is a single top-level Feature: the nesting is in its 'geometry' member, not in "feature 0".
        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadFileAsync("broken/deeply_nested_arrays_100000.geojson"));

        Assert.StartsWith("top-level member 'geometry': ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TruncatedMidCoordinate_YieldsTheCompleteFeaturesBeforeFailing()
    {
        var read = new List<SourceFeature>();
        await using var stream = OpenData("broken/truncated_mid_coordinate.geojson");

        var error = await Assert.ThrowsAsync<SourceFormatException>(async () =>
        {
            await foreach (var feature in GeoJsonReader.ReadAsync(stream, CancellationToken.None)) read.Add(feature);
        });

        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], read.Select(f => f.Record));
        Assert.Contains("end of data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EmptyFeatureCollection_ReadsNoFeatures()
    {
        var features = await ReadFileAsync("broken/empty_feature_collection_valid.geojson");

        Assert.Empty(features);
    }

    [Fact]
    public async Task ReadAsync_HugePolygon_LoadsOneFeatureWithEveryVertex()
    {
        var features = await ReadFileAsync("broken/huge_polygon_1000000_vertices.geojson");

        var feature = Assert.Single(features);
        var polygon = Assert.IsType<Polygon>(feature.Geometry);
        Assert.Equal(1_000_001, polygon.ExteriorRing.NumPoints);
        Assert.True(polygon.ExteriorRing.IsClosed);
        Assert.Equal(1_000_000L, feature.Properties.Single(p => p.Key == "vertices").Value);
    }

    [Theory]
    [InlineData("broken/invalid_geometry_hole_outside_shell.geojson", "Polygon", "hole_outside")]
    [InlineData("broken/invalid_geometry_overlapping_multipolygon_parts.geojson", "MultiPolygon", "overlap")]
    [InlineData("broken/invalid_geometry_ring_too_few_points.geojson", "Polygon", "degenerate_ring")]
    [InlineData("broken/invalid_geometry_self_intersecting_bowtie_polygon.geojson", "Polygon", "bowtie")]
    public async Task ReadAsync_TopologicallyInvalidGeometry_IsLoadedAsIs(string path, string geometryType, string name)
    {
        // Documented: the reader checks GeoJSON structure, not OGC validity (GDAL loads these too; IsValid is false).
        var feature = Assert.Single(await ReadFileAsync(path));

        Assert.Equal(geometryType, feature.Geometry!.GeometryType);
        Assert.False(feature.Geometry.IsValid);
        Assert.Equal(name, feature.Properties.Single(p => p.Key == "name").Value);
    }

    [Fact]
    public async Task ReadAsync_OutOfRangeCoordinates_AreLoadedUnchanged()
    {
        // Documented: no range check (as GDAL): lon 200 and lat 95 are kept as written.
        var features = await ReadFileAsync("broken/out_of_range_coordinates.geojson");

        Assert.Equal(6, features.Count);
        Assert.Equal(new Coordinate(200, 10), features[0].Geometry!.Coordinate);
        Assert.Equal(new Coordinate(-181.5, 10), features[1].Geometry!.Coordinate);
        Assert.Equal(new Coordinate(10, 95), features[2].Geometry!.Coordinate);
        Assert.All(features, f => Assert.True(f.Geometry!.Coordinates.All(c => double.IsFinite(c.X) && double.IsFinite(c.Y))));
    }

    [Fact]
    public async Task ReadAsync_WrongAxisOrder_IsLoadedAsWritten()
    {
        // Documented: [lat, lon] cannot be told from [lon, lat] in general, so it is loaded as written.
        var features = await ReadFileAsync("broken/wrong_axis_order_latlon.geojson");

        Assert.Equal(5, features.Count);
        var sydney = features.Single(f => (string?)f.Properties.Single(p => p.Key == "name").Value == "Sydney");
        Assert.Equal((double)sydney.Properties.Single(p => p.Key == "true_lat").Value!, sydney.Geometry!.Coordinate.X, 4);
    }

    [Theory]
    [InlineData("broken/csv_lonlat_bad_rows.csv")]
    [InlineData("broken/csv_wkt_bad_rows.csv")]
    [InlineData("broken/empty_zero_bytes.gpkg")]
    [InlineData("broken/geopackage_truncated.gpkg")]
    [InlineData("broken/raster_corrupt_tile_data_rasterio.tif")]
    [InlineData("broken/raster_not_a_tiff_text.tif")]
    [InlineData("broken/shapefile_zip_truncated.shp.zip")]
    [InlineData("broken/zip_claims_shapefile_contains_only_readme.shp.zip")]
    [InlineData("formats/ne_10m_airports.kml")]
    [InlineData("formats/ne_110m_admin_0_countries.fgb")]
    public async Task ReadAsync_FileThatIsNotGeoJson_ThrowsSourceFormatException(string path)
    {
        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadFileAsync(path));

        Assert.Contains("not", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAsync_BrokenFolder_EveryGeoJsonFileHasATestHere()
    {
        var covered = new[]
        {
            "deeply_nested_arrays_100000", "empty_feature_collection_valid", "empty_zero_bytes", "feature_missing_geometry_member",
            "huge_polygon_1000000_vertices", "invalid_geometry_hole_outside_shell", "invalid_geometry_overlapping_multipolygon_parts",
            "invalid_geometry_ring_too_few_points", "invalid_geometry_self_intersecting_bowtie_polygon", "invalid_geometry_unclosed_ring",
            "invalid_utf8_bytes", "nonfinite_nan_infinity_coordinates", "not_json_html_error_page", "out_of_range_coordinates",
            "point_with_one_coordinate", "truncated_mid_coordinate", "whitespace_only", "wrong_axis_order_latlon",
            "wrong_coordinate_nesting_polygon_as_linestring", "wrong_type_member_typo",
        };

        var present = Directory.GetFiles(TestData.Path("broken"), "*.geojson").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Equal(covered.Order(StringComparer.Ordinal), present);
    }

    // ---- other top-level shapes ----

    [Fact]
    public async Task ReadAsync_GeoJsonSequenceFile_IsRefusedWithAHint()
    {
        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadFileAsync("formats/ne_10m_airports.geojsonl"));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadCrsAsync_WebMercatorCrsMember_IsTheLayerCrs()
    {
        // GDAL writes a 'crs' member for non-CRS84 data; its coordinates are metres, not degrees.
        await using var stream = OpenData("formats/ne_110m_populated_places_simple_epsg3857.geojson");

        Assert.Equal(SourceCrs.FromEpsg(3857), await GeoJsonReader.ReadCrsAsync(stream, CancellationToken.None));
    }

    [Theory]
    [InlineData("null", null)]
    [InlineData("{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:OGC:1.3:CRS84\"}}", null)]
    [InlineData("{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:OGC::CRS84\"}}", null)]
    [InlineData("{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:4326\"}}", null)]
    [InlineData("{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::3857\"}}", 3857)]
    [InlineData("{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:2056\"}}", 2056)]
    [InlineData("{\"type\":\"name\",\"properties\":{\"name\":\"http://www.opengis.net/def/crs/EPSG/0/25832\"}}", 25832)]
    [InlineData("\"EPSG:3857\"", 3857)]
    public async Task ReadCrsAsync_CrsMember_GivesTheEpsgCodeOrNullForCrs84(string crs, int? epsg)
    {
        var json = "{\"type\":\"FeatureCollection\",\"crs\":" + crs + ",\"features\":[" + PointFeature("{}") + "]}";

        var declared = await GeoJsonReader.ReadCrsAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), CancellationToken.None);

        Assert.Equal(epsg, declared?.Epsg);
        Assert.Single(await ReadTextAsync(json));
    }

    [Fact]
    public async Task ReadAsync_CrsAfterTheFeatures_IsRefused()
    {
        // ReadCrsAsync stops at 'features' (it must not read a large file twice over), so the reader refuses what it would miss.
        var json = "{\"type\":\"FeatureCollection\",\"features\":[],\"crs\":\"EPSG:3857\"}";

        Assert.Null(await GeoJsonReader.ReadCrsAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), CancellationToken.None));
        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadTextAsync(json));
        Assert.Contains("comes after 'features'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"type\":\"link\",\"properties\":{\"href\":\"http://example.com/crs\"}}")]
    [InlineData("{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:ESRI::102100\"}}")]
    [InlineData("42")]
    public async Task ReadAsync_UnreadableCrsMember_IsRefused(string crs)
    {
        var json = "{\"type\":\"FeatureCollection\",\"crs\":" + crs + ",\"features\":[" + PointFeature("{}") + "]}";

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadTextAsync(json));

        Assert.Contains("coordinate reference system", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SourceFormatException>(() => GeoJsonReader.ReadCrsAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), CancellationToken.None));
    }

    [Theory]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[1]}", 1, "not a GeoJSON Feature object")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Point\"}]}", 1, "not a GeoJSON Feature object")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":null},{\"geometry\":null}]}", 2, "not a GeoJSON Feature object")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":[1,2]}]}", 1, "'geometry' is not an object or null")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":null,\"properties\":[1]}]}", 1, "'properties' is not an object or null")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"x\":1e309}}]}", 1, "property 'x' is a number out of range")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1e309,0]}}]}", 1, "not")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Circle\",\"coordinates\":[0,0]}}]}", 1, "invalid geometry")]
    public async Task ReadAsync_MalformedFeature_IsARejectedRecordSayingWhatIsWrong(string json, int record, string expected)
    {
        var rejected = (await ReadTextAsync(json)).Single(f => f.Error is not null);

        Assert.Equal(record, rejected.Record);
        Assert.Null(rejected.Geometry);
        Assert.Contains(expected, rejected.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "not a GeoJSON object")]
    [InlineData("\"FeatureCollection\"", "not a GeoJSON object")]
    [InlineData("{}", "no 'type' member")]
    [InlineData("{\"features\":[]}", "no 'type' member")]
    [InlineData("{\"type\":\"FeatureCollection\"}", "no 'features' array")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":{}}", "'features' is not an array")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":null}", "'features' is not an array")]
    [InlineData("{\"type\":\"Point\",\"coordinates\":[1,2]}", "top-level type is 'Point'")]
    [InlineData("{\"type\":{},\"features\":[]}", "top-level type")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[", "feature 1: ")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[]", "not valid JSON")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[]]", "not valid JSON")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[],}", "not valid JSON")]
    [InlineData("{'type':'FeatureCollection','features':[]}", "not valid JSON")]
    [InlineData("\uFEFF\uFEFF{\"type\":\"FeatureCollection\",\"features\":[]}", "not valid JSON")]
    public async Task ReadAsync_MalformedStructure_ThrowsSourceFormatExceptionSayingWhatIsWrong(string json, string expected)
    {
        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadTextAsync(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" \n\t ")]
    [InlineData("")]
    public async Task ReadAsync_WhitespaceAfterTheCollection_IsAccepted(string tail)
    {
        Assert.Single(await ReadTextAsync(Collection(PointFeature("{}")) + tail));
    }

    [Theory]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[]}")]
    [InlineData("]")]
    [InlineData("x")]
    [InlineData(",")]
    public async Task ReadAsync_ContentAfterTheCollection_ThrowsSourceFormatException(string tail)
    {
        // Was ignored: a second collection appended to the file was lost without a word.
        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadTextAsync(Collection(PointFeature("{}")) + "\n" + tail));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_SingleTopLevelFeature_IsOneRecord()
    {
        var feature = Assert.Single(await ReadTextAsync(PointFeature("{\"name\":\"a\"}", id: "7")));

        Assert.Equal(1, feature.Record);
        Assert.Equal("7", feature.Id);
        Assert.Equal(new Coordinate(1.5, 2.5), feature.Geometry!.Coordinate);
        Assert.Equal("a", feature.Properties.Single().Value);
    }

    [Fact]
    public async Task ReadAsync_SingleFeatureWithTypeLast_IsOneRecord()
    {
        var json = "{\"properties\":null,\"geometry\":{\"type\":\"Point\",\"coordinates\":[3,4]},\"type\":\"Feature\"}";

        Assert.Equal(new Coordinate(3, 4), Assert.Single(await ReadTextAsync(json)).Geometry!.Coordinate);
    }

    [Fact]
    public async Task ReadAsync_MembersInAnyOrder_AreAccepted()
    {
        var json = "{\"bbox\":[0,0,1,1],\"features\":[" + PointFeature("{\"a\":1}") + "],\"name\":\"x\",\"type\":\"FeatureCollection\"}";

        var feature = Assert.Single(await ReadTextAsync(json));

        Assert.Equal(1L, feature.Properties.Single().Value);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4096)]
    public async Task ReadAsync_Utf8ByteOrderMark_IsSkipped(int bytesPerRead)
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(Collection(PointFeature("{}")))).ToArray();

        Assert.Single(await ReadAllAsync(new TrickleStream(new MemoryStream(bytes), bytesPerRead)));
    }

    [Theory]
    [InlineData(new byte[] { 0xEF })]
    [InlineData(new byte[] { 0xEF, 0xBB })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0x20 })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, 0x7B, 0x7D })]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x7B, 0x00 })]
    public async Task ReadAsync_ByteOrderMarkWithoutAnObject_ThrowsSourceFormatException(byte[] bytes)
    {
        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadAllAsync(new TrickleStream(new MemoryStream(bytes), 1)));

        Assert.Contains("JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CommentsBetweenFeatures_AreSkipped()
    {
        var json = "{\"type\":\"FeatureCollection\", /* made by hand */ \"features\":[" + PointFeature("{}") + ", // second\n" + PointFeature("{}") + "]}";

        Assert.Equal(2, (await ReadTextAsync(json)).Count);
    }

    // ---- natural earth: valid files load completely ----

    [Theory]
    [InlineData("naturalearth/ne_110m_admin_0_countries.geojson", 177)]
    [InlineData("naturalearth/ne_110m_populated_places_simple.geojson", 243)]
    [InlineData("naturalearth/ne_110m_rivers_lake_centerlines.geojson", 13)]
    [InlineData("naturalearth/ne_10m_airports.geojson", 891)]
    [InlineData("naturalearth/ne_10m_ports.geojson", 1081)]
    [InlineData("naturalearth/ne_10m_populated_places.geojson", 7343)]
    [InlineData("naturalearth/ne_10m_lakes.geojson", 1354)]
    [InlineData("naturalearth/ne_10m_railroads_north_america.geojson", 1127)]
    [InlineData("naturalearth/ne_50m_admin_0_countries.geojson", 241)]
    [InlineData("naturalearth/ne_50m_admin_1_states_provinces_lakes.geojson", 100)]
    [InlineData("naturalearth/cql2/ne_110m_admin_0_countries.from_gpkg.geojson", 177)]
    [InlineData("naturalearth/cql2/ne_110m_populated_places_simple.from_gpkg.geojson", 243)]
    [InlineData("naturalearth/cql2/ne_110m_rivers_lake_centerlines.from_gpkg.geojson", 13)]
    public async Task ReadAsync_NaturalEarthFile_ReadsEveryFeatureInOrder(string path, int count)
    {
        var features = await ReadFileAsync(path);

        Assert.Equal(count, features.Count);
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), features.Select(f => f.Record));
        Assert.All(features, f => Assert.NotNull(f.Geometry));
    }

    [Fact]
    public async Task ReadAsync_Countries_HaveTypedPropertiesAndGeometries()
    {
        var features = await ReadFileAsync("naturalearth/ne_110m_admin_0_countries.geojson");

        var france = features.Single(f => Equals(f.Properties.Single(p => p.Key == "ADMIN").Value, "France"));
        Assert.Equal("MultiPolygon", france.Geometry!.GeometryType);
        Assert.IsType<long>(france.Properties.Single(p => p.Key == "scalerank").Value);
        Assert.IsType<double>(france.Properties.Single(p => p.Key == "LABELRANK").Value);
        Assert.Equal(["MultiPolygon", "Polygon"], features.Select(f => f.Geometry!.GeometryType).Distinct().Order());
    }

    // ---- values ----

    [Fact]
    public async Task ReadAsync_PropertyValues_AreTypedByJsonKind()
    {
        var json = Collection(PointFeature("""
            {"s":"text","empty":"","i":42,"neg":-7,"max":9223372036854775807,"d":1.5,"exp":1e3,"beyondLong":9223372036854775808,
             "t":true,"f":false,"n":null,"o":{"a":[1,2]},"a":[1,"x",null],"esc":"line\nbreak \u00e9 \ud83d\uddfa"}
            """));

        var values = Assert.Single(await ReadTextAsync(json)).Properties.ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal("text", values["s"]);
        Assert.Equal("", values["empty"]);
        Assert.Equal(42L, values["i"]);
        Assert.Equal(-7L, values["neg"]);
        Assert.Equal(long.MaxValue, values["max"]);
        Assert.Equal(1.5, values["d"]);
        Assert.Equal(1000.0, Assert.IsType<double>(values["exp"]));
        Assert.Equal(9223372036854775808.0, Assert.IsType<double>(values["beyondLong"]));
        Assert.Equal(true, values["t"]);
        Assert.Equal(false, values["f"]);
        Assert.Null(values["n"]);
        Assert.Equal(new RawJson("{\"a\":[1,2]}"), values["o"]);
        Assert.Equal(new RawJson("[1,\"x\",null]"), values["a"]);
        Assert.Equal("line\nbreak é 🗺", values["esc"]);
    }

    [Fact]
    public async Task ReadAsync_PropertyOrder_IsKept()
    {
        var feature = Assert.Single(await ReadTextAsync(Collection(PointFeature("{\"z\":1,\"a\":2,\"m\":3}"))));

        Assert.Equal(["z", "a", "m"], feature.Properties.Select(p => p.Key));
    }

    [Theory]
    [InlineData("\"abc\"", "abc")]
    [InlineData("17", "17")]
    [InlineData("1.5", "1.5")]
    [InlineData("null", null)]
    [InlineData("{\"x\":1}", null)]
    [InlineData("true", null)]
    public async Task ReadAsync_FeatureId_IsTextOrNull(string id, string? expected)
    {
        var feature = Assert.Single(await ReadTextAsync(Collection(PointFeature("{}", id: id))));

        Assert.Equal(expected, feature.Id);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    public async Task ReadAsync_NullOrEmptyProperties_GiveNoProperties(string properties)
    {
        var feature = Assert.Single(await ReadTextAsync(Collection(PointFeature(properties))));

        Assert.Empty(feature.Properties);
    }

    [Fact]
    public async Task ReadAsync_NullGeometry_GivesNullGeometry()
    {
        var feature = Assert.Single(await ReadTextAsync(Collection("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"a\":1}}")));

        Assert.Null(feature.Geometry);
    }

    [Fact]
    public async Task ReadAsync_EveryGeometryType_IsParsed()
    {
        string[] geometries =
        [
            "{\"type\":\"Point\",\"coordinates\":[1,2]}",
            "{\"type\":\"Point\",\"coordinates\":[1,2,3]}",
            "{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}",
            "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}",
            "{\"type\":\"MultiPoint\",\"coordinates\":[[0,0],[1,1]]}",
            "{\"type\":\"MultiLineString\",\"coordinates\":[[[0,0],[1,1]]]}",
            "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]]]}",
            "{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":\"Point\",\"coordinates\":[1,2]}]}",
        ];
        var json = Collection(geometries.Select(g => "{\"type\":\"Feature\",\"properties\":null,\"geometry\":" + g + "}").ToArray());

        var features = await ReadTextAsync(json);

        Assert.Equal(
            ["Point", "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon", "GeometryCollection"],
            features.Select(f => f.Geometry!.GeometryType));
        Assert.Equal(3, features[1].Geometry!.Coordinate.Z);
    }

    // ---- streaming: buffer boundaries and short reads ----

    [Theory]
    [InlineData(65_300)]
    [InlineData(65_450)]
    [InlineData(65_470)]
    [InlineData(65_490)]
    [InlineData(65_536)]
    [InlineData(131_000)]
    [InlineData(300_000)]
    public async Task ReadAsync_FeatureStraddlingTheBufferBoundary_IsReadWhole(int padding)
    {
        var big = new string('x', padding - 1) + "é東";
        var json = Collection(
            PointFeature("{\"n\":1}", "[1,1]"),
            PointFeature("{\"n\":2,\"pad\":\"" + big + "\",\"after\":\"end\"}", "[2,2]"),
            PointFeature("{\"n\":3,\"name\":\"東京\"}", "[3,3]"));

        var features = await ReadTextAsync(json);

        Assert.Equal([1L, 2L, 3L], features.Select(f => (long)f.Properties[0].Value!));
        Assert.Equal(big, features[1].Properties[1].Value);
        Assert.Equal("end", features[1].Properties[2].Value);
        Assert.Equal("東京", features[2].Properties[1].Value);
        Assert.Equal(new Coordinate(3, 3), features[2].Geometry!.Coordinate);
    }

    [Fact]
    public async Task ReadAsync_FeatureBoundaryAtEveryOffsetAroundTheBuffer_ReadsAllFeatures()
    {
        // Many small features after a padding member: some feature, token and multi-byte character falls on
        // every byte offset near the 64 KiB refill boundary.
        var padding = "\"name\":\"" + new string('p', 65_536 - 120) + "\",";
        var features = Enumerable.Range(1, 200).Select(i => PointFeature("{\"i\":" + i + ",\"s\":\"" + new string('é', i % 7) + "\"}", $"[{i},{-i}]"));
        var json = "{\"type\":\"FeatureCollection\"," + padding + "\"features\":[" + string.Join(",", features) + "]}";

        var read = await ReadTextAsync(json);

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), read.Select(f => (long)f.Properties[0].Value!));
        Assert.Equal(Enumerable.Range(1, 200).Select(i => new string('é', i % 7)), read.Select(f => (string)f.Properties[1].Value!));
    }

    [Theory]
    [InlineData("naturalearth/ne_110m_rivers_lake_centerlines.geojson")]
    [InlineData("naturalearth/cql2/ne_110m_populated_places_simple.from_gpkg.geojson")]
    [InlineData("broken/truncated_mid_coordinate.geojson")]
    [InlineData("broken/invalid_utf8_bytes.geojson")]
    [InlineData("broken/deeply_nested_arrays_100000.geojson")]
    public async Task ReadAsync_OneBytePerRead_GivesTheSameResult(string path)
    {
        var whole = await Outcome(OpenData(path));
        await using var trickle = new TrickleStream(OpenData(path), bytesPerRead: 1);

        var trickled = await Outcome(trickle);

        Assert.True(trickle.Reads > 100, $"{trickle.Reads} reads");
        Assert.Equal(whole, trickled);
    }

    [Fact]
    public async Task ReadAsync_RandomReadSizes_GiveTheSameResult()
    {
        const string path = "naturalearth/ne_110m_admin_0_countries.geojson";
        var random = new Random(20240501);
        var whole = await Outcome(OpenData(path));

        var chunked = await Outcome(new TrickleStream(OpenData(path), () => random.Next(1, 70_000)));

        Assert.Equal(whole, chunked);
    }

    [Fact]
    public async Task ReadAsync_Cancelled_StopsWithOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        await using var stream = OpenData("naturalearth/ne_110m_admin_0_countries.geojson");
        var read = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in GeoJsonReader.ReadAsync(stream, cancellation.Token))
            {
                if (++read == 3) await cancellation.CancelAsync();
            }
        });

        Assert.InRange(read, 3, 176);
    }

    /// <summary>The whole result of a read as text: each feature (record, id, WKT, properties) or the error.</summary>
    private static async Task<string> Outcome(Stream stream)
    {
        var text = new StringBuilder();
        try
        {
            await using (stream)
            {
                await foreach (var f in GeoJsonReader.ReadAsync(stream, CancellationToken.None))
                {
                    text.Append(f.Record).Append('|').Append(f.Id).Append('|').Append(f.Geometry?.AsText()).Append('|')
                        .AppendJoin(';', f.Properties.Select(p => $"{p.Key}={p.Value}({p.Value?.GetType().Name})")).Append('\n');
                }
            }
        }
        catch (SourceFormatException e)
        {
            // Byte positions in System.Text.Json's messages depend on where the buffer was cut; the rest must not.
            text.Append("error: ").Append(e.Message.Split(" LineNumber:")[0].Split(" (byte ")[0]);
        }
        return text.ToString();
    }
}
