using Meridian.Ingestion.Formats;
using System.Text;
using Meridian.Ingestion.Formats.GeoJson;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;
using static Meridian.Ingestion.Tests.Features;

namespace Meridian.Ingestion.Tests;

public sealed class SchemaInferenceTests
{
    private static CollectionSchema Infer(params SourceFeature[] features)
    {
        var inference = new SchemaInference();
        foreach (var feature in features) inference.Observe(feature);
        return inference.ToSchema("test");
    }

    private static PropertyType TypeOf(params object?[] values) =>
        Assert.Single(Infer(values.Select(v => With(("p", v))).ToArray()).Properties).Type;

    [Theory]
    [InlineData(PropertyType.Integer, 1L, 2L, -3L)]
    [InlineData(PropertyType.Number, 1.5, 2.0)]
    [InlineData(PropertyType.Number, 1L, 2.5, 3L)]
    [InlineData(PropertyType.Number, 2.5, 1L)]
    [InlineData(PropertyType.Boolean, true, false)]
    [InlineData(PropertyType.String, "a", "b")]
    [InlineData(PropertyType.String, "a", 1L)]
    [InlineData(PropertyType.String, 1.5, "1.5")]
    [InlineData(PropertyType.String, true, 1L)]
    [InlineData(PropertyType.String, true, "yes")]
    public void ToSchema_Values_GiveTheNarrowestCommonType(PropertyType expected, params object?[] values)
    {
        Assert.Equal(expected, TypeOf(values));
    }

    [Fact]
    public void ToSchema_NullsAlongsideValues_DoNotWidenTheType()
    {
        Assert.Equal(PropertyType.Integer, TypeOf(null, 1L, null));
    }

    [Fact]
    public void ToSchema_OnlyNulls_IsString()
    {
        Assert.Equal(PropertyType.String, TypeOf(null, null));
    }

    [Theory]
    [InlineData("2024-05-01")]
    [InlineData("1850-07-14")]
    [InlineData("2024-02-29")]
    public void ToSchema_DateStrings_AreDate(string date)
    {
        Assert.Equal(PropertyType.Date, TypeOf(date, "2000-01-01", null));
    }

    [Theory]
    [InlineData("2021-04-16T10:15:59Z")]
    [InlineData("2021-04-16T10:15:59")]
    [InlineData("2021-04-16T10:15:59.123+02:00")]
    [InlineData("2021-04-16 10:15")]
    public void ToSchema_DateTimeStrings_AreDateTime(string dateTime)
    {
        Assert.Equal(PropertyType.DateTime, TypeOf(dateTime, "2000-01-01T00:00:00Z"));
    }

    [Fact]
    public void ToSchema_DatesAndDateTimes_AreDateTime()
    {
        Assert.Equal(PropertyType.DateTime, TypeOf("2024-05-01", "2024-05-01T12:00:00Z"));
    }

    [Theory]
    [InlineData("2024-05-01", "May 1st")]
    [InlineData("2024-05-01", 20240501L)]
    [InlineData("2024-05-01T12:00:00Z", "noon")]
    [InlineData("2024-5-1", "2024-05-01")]
    [InlineData("20240501", "2024-05-01")]
    public void ToSchema_DatesMixedWithOtherValues_AreString(object first, object second)
    {
        Assert.Equal(PropertyType.String, TypeOf(first, second));
    }

    [Theory]
    [InlineData("2021-02-30")]
    [InlineData("2023-02-29")]
    [InlineData("2024-13-01")]
    [InlineData("0000-01-01")]
    public void ToSchema_DateShapedButImpossibleDate_IsString(string impossible)
    {
        Assert.Equal(PropertyType.String, TypeOf("2024-05-01", impossible));
    }

    [Theory]
    [InlineData("2021-04-16T24:00:00Z")]
    [InlineData("2021-04-16T10:61:00Z")]
    [InlineData("2021-02-30T10:00:00Z")]
    public void ToSchema_DateTimeShapedButImpossibleTime_IsString(string impossible)
    {
        Assert.Equal(PropertyType.String, TypeOf("2021-04-16T10:15:59Z", impossible));
    }

    [Fact]
    public void ToSchema_ObjectsAndArrays_AreOther()
    {
        Assert.Equal(PropertyType.Other, TypeOf(new RawJson("{\"a\":1}"), new RawJson("[1,2]"), null));
    }

    [Fact]
    public void ToSchema_ObjectsMixedWithText_AreString()
    {
        Assert.Equal(PropertyType.String, TypeOf(new RawJson("{\"a\":1}"), "text"));
    }

    [Fact]
    public void ToSchema_PropertiesInFirstSeenOrder_IncludeLateAndSparseOnes()
    {
        var schema = Infer(With(("b", 1L), ("a", "x")), With(("a", "y")), With(("c", true)));

        Assert.Equal(["b", "a", "c"], schema.Properties.Select(p => p.Name));
        Assert.All(schema.Properties, p => Assert.True(p.Nullable));
    }

    [Theory]
    [InlineData("id")]
    [InlineData("ID")]
    [InlineData("Id")]
    [InlineData("fid")]
    [InlineData("FID")]
    [InlineData("geom")]
    [InlineData("Geom")]
    public void ToSchema_ReservedName_IsRenamed(string name)
    {
        var inference = new SchemaInference();
        inference.Observe(With((name, 1L)));

        var schema = inference.ToSchema("test");

        var property = Assert.Single(schema.Properties);
        Assert.Equal(name + "_", property.Name);
        Assert.Equal([name], inference.SourceNames);
    }

    [Fact]
    public void ToSchema_ReservedNameAndItsRenamedForm_StayDistinct()
    {
        var schema = Infer(With(("id", 1L), ("id_", 2L), ("ID_", 3L)));

        var names = schema.Properties.Select(p => p.Name).ToList();
        Assert.Equal(3, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal("id_", names[0]);
        Assert.DoesNotContain(names, n => n.Equals("id", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void ToSchema_NamesDifferingOnlyInCase_AreMadeUnique()
    {
        var inference = new SchemaInference();
        inference.Observe(With(("Name", "a"), ("name", "b"), ("NAME", "c")));

        var schema = inference.ToSchema("test");

        Assert.Equal(["Name", "name_2", "NAME_3"], schema.Properties.Select(p => p.Name));
        Assert.Equal(["Name", "name", "NAME"], inference.SourceNames);
    }

    [Fact]
    public void ToSchema_GeneratedSuffixCollidingWithARealName_IsStillUnique()
    {
        var schema = Infer(With(("a_2", 1L), ("a", 2L), ("A", 3L)));

        var names = schema.Properties.Select(p => p.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void ToSchema_EmptyName_GetsAPlaceholder()
    {
        var schema = Infer(With(("", 1L)));

        Assert.Equal("_", Assert.Single(schema.Properties).Name);
    }

    [Theory]
    [InlineData(64, 'a')]
    [InlineData(200, 'a')]
    [InlineData(40, 'é')]
    [InlineData(30, '東')]
    public void ToSchema_NameLongerThan63Bytes_IsTruncated(int length, char c)
    {
        var name = new string(c, length);

        var property = Assert.Single(Infer(With((name, 1L))).Properties);

        Assert.InRange(Encoding.UTF8.GetByteCount(property.Name), 1, 63);
        Assert.StartsWith(property.Name, name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ToSchema_LongNameOfSurrogatePairs_IsNotCutInsideACharacter(int prefix)
    {
        var name = new string('a', prefix) + string.Concat(Enumerable.Repeat("🗺", 30));

        var truncated = Assert.Single(Infer(With((name, 1L))).Properties).Name;

        Assert.InRange(Encoding.UTF8.GetByteCount(truncated), 1, 63);
        Assert.False(char.IsHighSurrogate(truncated[^1]), "the name ends with half a surrogate pair");
        Assert.True(truncated.EnumerateRunes().All(r => r != Rune.ReplacementChar));
        Assert.StartsWith(truncated, name, StringComparison.Ordinal);
    }

    [Fact]
    public void ToSchema_LongNamesWithTheSamePrefix_AreUniqueAndShortEnough()
    {
        var prefix = new string('n', 70);
        var names = Enumerable.Range(0, 12).Select(i => (prefix + i, (object?)1L)).ToArray();

        var schema = Infer(With(names));

        var columns = schema.Properties.Select(p => p.Name).ToList();
        Assert.Equal(12, columns.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(columns, c => Assert.InRange(Encoding.UTF8.GetByteCount(c), 1, 63));
    }

    [Fact]
    public void ToSchema_OneGeometryType_IsThatType()
    {
        var factory = GeometryServices.Factory;

        var schema = Infer(With(factory.CreatePoint(new Coordinate(0, 0))), With((Geometry?)null), With(factory.CreatePoint(new Coordinate(1, 1))));

        Assert.Equal(GeometryKind.Point, schema.GeometryType);
        Assert.Equal(4326, schema.StorageSrid);
    }

    [Fact]
    public void ToSchema_MixedGeometryTypes_IsGeometry()
    {
        var factory = GeometryServices.Factory;
        var polygon = factory.CreatePolygon([new(0, 0), new(1, 0), new(1, 1), new(0, 0)]);

        var schema = Infer(With(polygon), With(factory.CreateMultiPolygon([polygon])));

        Assert.Equal(GeometryKind.Geometry, schema.GeometryType);
    }

    [Fact]
    public void ToSchema_NoGeometries_IsGeometry()
    {
        Assert.Equal(GeometryKind.Geometry, Infer(With(null, ("a", 1L))).GeometryType);
    }

    [Fact]
    public void ToSchema_FirstDateProperty_IsTheTemporalProperty()
    {
        var schema = Infer(With(("name", "x"), ("opened", "2020-01-01"), ("updated", "2020-01-01T00:00:00Z")));

        Assert.Equal("opened", schema.TemporalProperty);
    }

    [Fact]
    public void ToSchema_NoDates_HasNoTemporalProperty()
    {
        Assert.Null(Infer(With(("name", "x"))).TemporalProperty);
    }

    [Fact]
    public void Observe_CountsFeatures()
    {
        var inference = new SchemaInference();
        inference.Observe(With());
        inference.Observe(With(("a", 1L)));

        Assert.Equal(2, inference.Features);
    }

    [Fact]
    public async Task ToSchema_NaturalEarthCountries_GivesTypedColumns()
    {
        var inference = new SchemaInference();
        await foreach (var feature in GeoJsonReader.ReadAsync(Formats.GeoJson.GeoJsonInput.OpenData("naturalearth/ne_110m_admin_0_countries.geojson"), CancellationToken.None))
            inference.Observe(feature);

        var schema = inference.ToSchema("countries");

        Assert.Equal(177, inference.Features);
        Assert.Equal(GeometryKind.Geometry, schema.GeometryType); // Polygon and MultiPolygon
        Assert.Equal(PropertyType.String, schema.FindProperty("ADMIN")!.Type);
        Assert.Equal(PropertyType.Integer, schema.FindProperty("scalerank")!.Type);
        Assert.Equal(PropertyType.Number, schema.FindProperty("POP_EST")!.Type);
        Assert.Equal(schema.Properties.Count, inference.SourceNames.Count);
        Assert.Equal(schema.Properties.Count, schema.Properties.Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Heights_AnyGeometryWithOne_GivesTheLayerHeights_AndNamesTheFirstRecordWithout()
    {
        var inference = new SchemaInference();
        var factory = GeometryServices.Factory;
        inference.Observe(With(factory.CreatePoint(new Coordinate(1, 2))) with { Record = 1 });
        var flat = (inference.ToSchema("test").HasZ, inference.FirstWithoutHeights, inference.Changes);
        inference.Observe(With(factory.CreatePoint(new CoordinateZ(1, 2, 3))) with { Record = 2 });

        Assert.Equal((false, (long?)null), (flat.HasZ, flat.FirstWithoutHeights));
        Assert.True(inference.ToSchema("test").HasZ);
        Assert.Equal(1L, inference.FirstWithoutHeights);
        Assert.Equal(flat.Changes + 1, inference.Changes);
    }

    [Fact]
    public void Heights_NoneInTheFile_LeaveTheLayerFlat()
    {
        var schema = Infer(With(GeometryServices.Factory.CreatePoint(new CoordinateZ(1, 2, double.NaN))), With(GeometryServices.Factory.CreatePoint(new Coordinate(3, 4))));

        Assert.False(schema.HasZ);
    }
}
