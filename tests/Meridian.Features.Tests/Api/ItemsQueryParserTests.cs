using Meridian.Features.Api;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Problems;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using NetTopologySuite.Geometries;

namespace Meridian.Features.Tests.Api;

public sealed class ItemsQueryParserTests
{
    private static readonly CollectionSchema Schema = new(
        "places", "Places", null, GeometryKind.Point, 4326, FeatureIdKind.Integer,
        [
            new PropertySchema("name", PropertyType.String),
            new PropertySchema("pop_max", PropertyType.Integer),
            new PropertySchema("scalerank", PropertyType.Number),
            new PropertySchema("capital", PropertyType.Boolean),
            new PropertySchema("founded", PropertyType.Date),
            new PropertySchema("updated", PropertyType.DateTime),
            new PropertySchema("tags", PropertyType.Other),
        ],
        "updated");

    private static readonly FeaturesOptions Options = new() { DefaultLimit = 10, MaxLimit = 1000 };

    private static FeatureQuery Parse(string queryString) =>
        ItemsQueryParser.Parse(new QueryCollection(QueryHelpers.ParseQuery(queryString)), Schema, Options);

    private static ProblemException AssertInvalid(string queryString, string parameter)
    {
        var problem = Assert.Throws<ProblemException>(() => Parse(queryString));
        Assert.Equal(StatusCodes.Status400BadRequest, problem.Status);
        Assert.Equal(ProblemTypes.InvalidParameter, problem.Type);
        Assert.Contains(parameter, problem.Message, StringComparison.Ordinal);
        Assert.Contains($"'{parameter}'", problem.Title, StringComparison.Ordinal);
        return problem;
    }

    // ---- no parameters ----

    [Fact]
    public void Parse_EmptyQuery_ReturnsDefaultsWithoutFilters()
    {
        var query = Parse("");

        Assert.Empty(query.BoundingBoxes);
        Assert.Null(query.Time);
        Assert.Empty(query.Equalities);
        Assert.Null(query.Cursor);
        Assert.Equal(10, query.Limit);
    }

    [Fact]
    public void Parse_StandardFormatParameter_IsAcceptedAndIgnored()
    {
        var query = Parse("?f=json");

        Assert.Empty(query.Equalities);
    }

    // ---- bbox ----

    [Fact]
    public void Parse_BboxWithFourNumbers_ReturnsOneEnvelope()
    {
        var query = Parse("?bbox=-10.5,35,30,60.25");

        var box = Assert.Single(query.BoundingBoxes);
        Assert.Equal(new Envelope(-10.5, 30, 35, 60.25), box);
    }

    [Fact]
    public void Parse_BboxWithSixNumbers_IgnoresHeights()
    {
        var query = Parse("?bbox=5,45,-100,15,55,8848");

        var box = Assert.Single(query.BoundingBoxes);
        Assert.Equal(new Envelope(5, 15, 45, 55), box);
    }

    [Fact]
    public void Parse_BboxCrossingAntimeridian_SplitsIntoTwoEnvelopes()
    {
        var query = Parse("?bbox=170,-20,-170,10");

        Assert.Equal(2, query.BoundingBoxes.Count);
        Assert.Equal(new Envelope(170, 180, -20, 10), query.BoundingBoxes[0]);
        Assert.Equal(new Envelope(-180, -170, -20, 10), query.BoundingBoxes[1]);
    }

    [Fact]
    public void Parse_BboxWholeWorld_ReturnsOneEnvelope()
    {
        var query = Parse("?bbox=-180,-90,180,90");

        Assert.Equal(new Envelope(-180, 180, -90, 90), Assert.Single(query.BoundingBoxes));
    }

    [Fact]
    public void Parse_BboxDegenerateToPoint_IsAccepted()
    {
        var query = Parse("?bbox=13.4,52.5,13.4,52.5");

        Assert.Equal(new Envelope(13.4, 13.4, 52.5, 52.5), Assert.Single(query.BoundingBoxes));
    }

    [Fact]
    public void Parse_BboxWithExponentAndSpaces_IsAccepted()
    {
        var query = Parse("?bbox=" + Uri.EscapeDataString(" 1e1, -2.5E0 ,2e1,3"));

        Assert.Equal(new Envelope(10, 20, -2.5, 3), Assert.Single(query.BoundingBoxes));
    }

    [Theory]
    [InlineData("-181,0,10,10")]
    [InlineData("0,0,180.0001,10")]
    [InlineData("200,0,10,10")]
    public void Parse_BboxLongitudeOutOfRange_Throws400(string bbox)
    {
        var problem = AssertInvalid("?bbox=" + bbox, "bbox");

        Assert.Contains("longitude", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0,-91,10,10")]
    [InlineData("0,0,10,90.5")]
    [InlineData("0,-1000,10,1000")]
    public void Parse_BboxLatitudeOutOfRange_Throws400(string bbox)
    {
        var problem = AssertInvalid("?bbox=" + bbox, "bbox");

        Assert.Contains("latitude", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BboxSouthNorthOfNorth_Throws400()
    {
        var problem = AssertInvalid("?bbox=0,50,10,40", "bbox");

        Assert.Contains("south", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN,0,10,10")]
    [InlineData("0,NaN,10,10")]
    [InlineData("Infinity,0,10,10")]
    [InlineData("0,0,-Infinity,10")]
    [InlineData("0,0,10,∞")]
    [InlineData("1e309,0,10,10")]
    [InlineData("0,0,10,-1e309")]
    [InlineData("0x10,0,10,10")]
    [InlineData("0,0,&H0A,10")]
    [InlineData("a,b,c,d")]
    [InlineData("1;2;3;4")]
    [InlineData("1 2 3 4")]
    [InlineData("0,,10,10")]
    [InlineData(",0,10,10")]
    [InlineData("0,0,10,10,")]
    [InlineData("0,0,10,,10")]
    [InlineData("0,0,10,10,,")]
    [InlineData("1,000,10,10,20")]
    [InlineData("")]
    [InlineData(",,,")]
    [InlineData("0,0,10")]
    [InlineData("0,0,10,10,20")]
    [InlineData("0,0,0,10,10,10,10")]
    [InlineData("0,0,10,10;drop table")]
    public void Parse_BboxMalformed_Throws400NamingBbox(string bbox)
    {
        AssertInvalid("?bbox=" + Uri.EscapeDataString(bbox), "bbox");
    }

    [Fact]
    public void Parse_BboxVeryLongList_Throws400()
    {
        var bbox = string.Join(",", Enumerable.Repeat("1.5", 200_000));

        var problem = AssertInvalid("?bbox=" + bbox, "bbox");

        Assert.Contains("200000", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BboxVeryLongNumber_Throws400()
    {
        var bbox = "1" + new string('0', 100_000) + ",0,10,10";

        AssertInvalid("?bbox=" + bbox, "bbox");
    }

    [Fact]
    public void Parse_BboxCrsCrs84_IsAccepted()
    {
        var query = Parse("?bbox=0,0,1,1&bbox-crs=" + Uri.EscapeDataString(ItemsQueryParser.Crs84));

        Assert.Single(query.BoundingBoxes);
    }

    [Theory]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/99999")]
    [InlineData("EPSG:3857x")]
    [InlineData("urn:ogc:def:crs:EPSG::3857")]
    [InlineData("")]
    public void Parse_BboxCrsUnsupported_Throws400NamingIt(string crs)
    {
        var problem = AssertInvalid("?bbox=0,0,1,1&bbox-crs=" + Uri.EscapeDataString(crs), "bbox-crs");

        Assert.Contains($"'{crs}'", problem.Message);
    }

    [Fact]
    public void Parse_BboxCrs4326_IsLatitudeFirst()
    {
        var box = Assert.Single(Parse("?bbox=40,0,60,20&bbox-crs=" + Uri.EscapeDataString("http://www.opengis.net/def/crs/EPSG/0/4326")).BoundingBoxes);

        Assert.Equal(new Envelope(0, 20, 40, 60), box);
    }

    [Fact]
    public void Parse_BboxCrs4326AcrossTheAntimeridian_IsTwoBoxes()
    {
        var boxes = Parse("?bbox=-20,170,-10,-170&bbox-crs=[EPSG:4326]").BoundingBoxes;

        Assert.Equal([new Envelope(170, 180, -20, -10), new Envelope(-180, -170, -20, -10)], boxes);
    }

    [Fact]
    public void Parse_BboxCrs3857_IsTheSameBoxInCrs84()
    {
        var box = Assert.Single(Parse("?bbox=0,4865942.28,2226389.82,8399737.89&bbox-crs=" + Uri.EscapeDataString("http://www.opengis.net/def/crs/EPSG/0/3857")).BoundingBoxes);

        Assert.Equal(0, box.MinX, 6);
        Assert.Equal(20, box.MaxX, 6);
        Assert.Equal(40, box.MinY, 6);
        Assert.Equal(60, box.MaxY, 6);
    }

    [Theory]
    [InlineData("100,0,0,100")]
    [InlineData("0,100,100,0")]
    public void Parse_BboxCrsProjectedUpperCornerFirst_Throws400(string bbox)
    {
        AssertInvalid($"?bbox={bbox}&bbox-crs=[EPSG:3857]", "bbox");
    }

    [Fact]
    public void Parse_BboxCrsProjectedOutsideTheProjection_Throws400()
    {
        AssertInvalid("?bbox=0,0,1e30,1e30&bbox-crs=[EPSG:3857]", "bbox");
    }

    [Fact]
    public void Parse_BboxCrsWithoutBbox_IsIgnored()
    {
        Assert.Empty(Parse("?bbox-crs=[EPSG:3857]").BoundingBoxes);
    }

    [Theory]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/3857", 3857, false)]
    [InlineData("[EPSG:4326]", 4326, true)]
    [InlineData("http://www.opengis.net/def/crs/OGC/1.3/CRS84", 4326, false)]
    public void Parse_Crs_SetsTheOutputCrs(string crs, int srid, bool northingFirst)
    {
        var query = Parse("?crs=" + Uri.EscapeDataString(crs));

        Assert.Equal((srid, northingFirst), (query.OutputCrs.Srid, query.OutputCrs.NorthingFirst));
    }

    [Fact]
    public void Parse_NoCrs_IsCrs84()
    {
        Assert.Same(Meridian.Storage.Spatial.CrsRegistry.Crs84, Parse("").OutputCrs);
    }

    [Theory]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/2193")]
    [InlineData("EPSG")]
    [InlineData("<script>alert(1)</script>")]
    public void Parse_CrsUnsupported_Throws400NamingIt(string crs)
    {
        var problem = AssertInvalid("?crs=" + Uri.EscapeDataString(crs), "crs");

        Assert.Contains(crs, problem.Message);
    }

    [Fact]
    public void Parse_CrsHuge_Throws400WithAShortMessage()
    {
        var problem = AssertInvalid("?crs=" + new string('x', 50_000), "crs");

        Assert.True(problem.Message.Length < 500);
    }

    [Fact]
    public void Parse_CrsTwice_Throws400()
    {
        AssertInvalid("?crs=[EPSG:4326]&crs=[EPSG:3857]", "crs");
    }

    // ---- datetime ----

    [Fact]
    public void Parse_DatetimeInstantUtc_ReturnsZeroLengthInterval()
    {
        var query = Parse("?datetime=2018-02-12T23:20:50Z");

        var expected = new DateTimeOffset(2018, 2, 12, 23, 20, 50, TimeSpan.Zero);
        Assert.Equal(new TimeInterval(expected, expected), query.Time);
    }

    [Fact]
    public void Parse_DatetimeInstantWithOffset_IsConvertedToUtc()
    {
        var query = Parse("?datetime=" + Uri.EscapeDataString("2018-02-12T23:20:50+02:00"));

        var expected = new DateTimeOffset(2018, 2, 12, 21, 20, 50, TimeSpan.Zero);
        Assert.Equal(expected, query.Time!.Value.Start);
        Assert.Equal(TimeSpan.Zero, query.Time!.Value.Start!.Value.Offset);
    }

    [Fact]
    public void Parse_DatetimeWithFraction_KeepsFraction()
    {
        var query = Parse("?datetime=2018-02-12T23:20:50.52Z");

        Assert.Equal(new DateTimeOffset(2018, 2, 12, 23, 20, 50, 520, TimeSpan.Zero), query.Time!.Value.Start);
    }

    [Fact]
    public void Parse_DatetimeDate_MeansTheWholeDay()
    {
        var query = Parse("?datetime=2024-02-29");

        Assert.Equal(new DateTimeOffset(2024, 2, 29, 0, 0, 0, TimeSpan.Zero), query.Time!.Value.Start);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-1), query.Time!.Value.End);
    }

    [Theory]
    [InlineData("9999-12-31")]
    [InlineData("9999-12-31/..")]
    [InlineData("2024-01-01/9999-12-31")]
    public void Parse_DatetimeLastRepresentableDay_EndsAtItsLastTick(string datetime)
    {
        var query = Parse("?datetime=" + datetime);

        Assert.Equal(datetime.EndsWith("..", StringComparison.Ordinal) ? null : DateTimeOffset.MaxValue, query.Time!.Value.End);
    }

    [Theory]
    [InlineData("2016-12-31T23:59:60Z", "2016-12-31T23:59:59.9999999Z")]
    [InlineData("2016-12-31T23:59:60.5Z", "2016-12-31T23:59:59.9999999Z")]
    [InlineData("2017-01-01T00:59:60+01:00", "2016-12-31T23:59:59.9999999Z")]
    public void Parse_DatetimeLeapSecond_IsTheLastTickBeforeTheNextMinute(string datetime, string expected)
    {
        var query = Parse("?datetime=" + Uri.EscapeDataString(datetime));

        var instant = DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(new TimeInterval(instant, instant), query.Time);
    }

    [Fact]
    public void Parse_DatetimeLeapSecondInterval_EndsAfterTheSecondBefore()
    {
        var query = Parse("?datetime=2016-12-31T23:59:59Z/2016-12-31T23:59:60Z");

        Assert.True(query.Time!.Value.Start < query.Time!.Value.End);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    public void Parse_DatetimeOutsideTheRepresentableYears_Throws400SayingSo(string datetime)
    {
        var problem = AssertInvalid("?datetime=" + Uri.EscapeDataString(datetime), "datetime");

        Assert.Contains("0001-01-01 to 9999-12-31", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DatetimeFirstRepresentableDay_CoversIt()
    {
        var query = Parse("?datetime=0001-01-01");

        Assert.Equal(DateTimeOffset.MinValue, query.Time!.Value.Start);
        Assert.Equal(new DateTimeOffset(1, 1, 2, 0, 0, 0, TimeSpan.Zero).AddTicks(-1), query.Time!.Value.End);
    }

    [Fact]
    public void Parse_DatetimeClosedIntervalOfDates_CoversBothDays()
    {
        var query = Parse("?datetime=2024-01-01/2024-01-31");

        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), query.Time!.Value.Start);
        Assert.Equal(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-1), query.Time!.Value.End);
    }

    [Fact]
    public void Parse_DatetimeIntervalOfInstants_ReturnsBothEnds()
    {
        var query = Parse("?datetime=2018-02-12T00:00:00Z/2018-03-18T12:31:12Z");

        Assert.Equal(new TimeInterval(
            new DateTimeOffset(2018, 2, 12, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2018, 3, 18, 12, 31, 12, TimeSpan.Zero)), query.Time);
    }

    [Theory]
    [InlineData("../2018-03-18T12:31:12Z")]
    [InlineData("/2018-03-18T12:31:12Z")]
    public void Parse_DatetimeOpenStart_HasNullStart(string datetime)
    {
        var query = Parse("?datetime=" + datetime);

        Assert.Null(query.Time!.Value.Start);
        Assert.Equal(new DateTimeOffset(2018, 3, 18, 12, 31, 12, TimeSpan.Zero), query.Time!.Value.End);
    }

    [Theory]
    [InlineData("2018-02-12T00:00:00Z/..")]
    [InlineData("2018-02-12T00:00:00Z/")]
    public void Parse_DatetimeOpenEnd_HasNullEnd(string datetime)
    {
        var query = Parse("?datetime=" + datetime);

        Assert.Equal(new DateTimeOffset(2018, 2, 12, 0, 0, 0, TimeSpan.Zero), query.Time!.Value.Start);
        Assert.Null(query.Time!.Value.End);
    }

    [Theory]
    [InlineData("../..")]
    [InlineData("/")]
    [InlineData("../")]
    public void Parse_DatetimeOpenAtBothEnds_IsNoTimeFilter(string datetime)
    {
        var query = Parse("?datetime=" + datetime);

        Assert.Null(query.Time);
    }

    [Theory]
    [InlineData("2024-02-01/2024-01-01")]
    [InlineData("2018-03-18T12:31:12Z/2018-03-18T12:31:11Z")]
    public void Parse_DatetimeStartAfterEnd_Throws400(string datetime)
    {
        var problem = AssertInvalid("?datetime=" + datetime, "datetime");

        Assert.Contains("before it starts", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DatetimeSameDayInterval_IsAccepted()
    {
        var query = Parse("?datetime=2024-01-01/2024-01-01");

        Assert.True(query.Time!.Value.Start < query.Time!.Value.End);
    }

    [Theory]
    [InlineData("2024-01-01/2024-02-01/2024-03-01")]
    [InlineData("2024-01-01//")]
    [InlineData("//")]
    public void Parse_DatetimeTwoSlashes_Throws400(string datetime)
    {
        var problem = AssertInvalid("?datetime=" + datetime, "datetime");

        Assert.Contains("'/'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("now")]
    [InlineData("2024")]
    [InlineData("2024-13-01")]
    [InlineData("2023-02-29")]
    [InlineData("2024-1-1")]
    [InlineData("01/02/2024")]
    [InlineData("2024-01-01T25:00:00Z")]
    [InlineData("2024-01-01T24:00:00Z")]
    [InlineData("2024-01-01T23:59:61Z")]
    [InlineData("2024-01-01T23:60:00Z")]
    [InlineData("2024-01-01T12:00:00Zgarbage")]
    [InlineData("May 1, 2024 12:00:00")]
    [InlineData("1714557600")]
    [InlineData("2024-01-01/soon")]
    [InlineData("then/2024-01-01")]
    [InlineData("...")]
    public void Parse_DatetimeGarbage_Throws400NamingDatetime(string datetime)
    {
        AssertInvalid("?datetime=" + Uri.EscapeDataString(datetime), "datetime");
    }

    [Fact]
    public void Parse_DatetimeVeryLong_Throws400()
    {
        AssertInvalid("?datetime=" + new string('9', 100_000), "datetime");
    }

    // ---- limit ----

    [Fact]
    public void Parse_NoLimit_UsesDefault()
    {
        Assert.Equal(10, Parse("?bbox=0,0,1,1").Limit);
    }

    [Fact]
    public void Parse_DefaultAboveMax_IsLoweredToMax()
    {
        var options = new FeaturesOptions { DefaultLimit = 500, MaxLimit = 100 };

        var query = ItemsQueryParser.Parse(new QueryCollection(), Schema, options);

        Assert.Equal(100, query.Limit);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("250", 250)]
    [InlineData("1000", 1000)]
    [InlineData("007", 7)]
    public void Parse_LimitInRange_IsUsed(string limit, int expected)
    {
        Assert.Equal(expected, Parse("?limit=" + limit).Limit);
    }

    [Theory]
    [InlineData("1001")]
    [InlineData("2147483647")]
    [InlineData("2147483648")]
    [InlineData("99999999999999999999999999999999999999")]
    public void Parse_LimitAboveMax_IsClampedToMax(string limit)
    {
        Assert.Equal(1000, Parse("?limit=" + limit).Limit);
    }

    [Fact]
    public void Parse_LimitOverlongDigitString_IsClampedToMax()
    {
        Assert.Equal(1000, Parse("?limit=" + new string('9', 100_000)).Limit);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0000")]
    [InlineData("-1")]
    [InlineData("-99999999999999999999")]
    [InlineData("+5")]
    [InlineData("5.0")]
    [InlineData("1e3")]
    [InlineData("ten")]
    [InlineData("")]
    [InlineData(" 5")]
    [InlineData("0x10")]
    [InlineData("١٢")]
    [InlineData("5;")]
    public void Parse_LimitInvalid_Throws400NamingLimit(string limit)
    {
        AssertInvalid("?limit=" + Uri.EscapeDataString(limit), "limit");
    }

    // ---- repeated and unknown parameters ----

    [Theory]
    [InlineData("?limit=5&limit=6", "limit")]
    [InlineData("?bbox=0,0,1,1&bbox=2,2,3,3", "bbox")]
    [InlineData("?datetime=2024-01-01&datetime=2024-01-02", "datetime")]
    [InlineData("?f=json&f=html", "f")]
    [InlineData("?name=Paris&name=Rome", "name")]
    [InlineData("?limit=5&limit=5", "limit")]
    public void Parse_RepeatedParameter_Throws400NamingIt(string query, string parameter)
    {
        var problem = AssertInvalid(query, parameter);

        Assert.Contains("2 times", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?foo=bar", "foo")]
    [InlineData("?offset=10", "offset")]
    [InlineData("?Name=Paris", "Name")]
    [InlineData("?LIMIT=5", "LIMIT")]
    [InlineData("?%3Cscript%3E=1", "<script>")]
    public void Parse_UnknownParameter_Throws400NamingIt(string query, string parameter)
    {
        var problem = AssertInvalid(query, parameter);

        Assert.Contains("places", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NonQueryableProperty_Throws400()
    {
        AssertInvalid("?tags=red", "tags");
    }

    // ---- property equality filters ----

    [Fact]
    public void Parse_StringProperty_KeepsTextVerbatim()
    {
        var query = Parse("?name=" + Uri.EscapeDataString("São Paulo, 'SP' <b>"));

        var equality = Assert.Single(query.Equalities);
        Assert.Equal("name", equality.Property.Name);
        Assert.Equal("São Paulo, 'SP' <b>", equality.Value);
    }

    [Fact]
    public void Parse_EmptyStringProperty_IsAnEmptyString()
    {
        var equality = Assert.Single(Parse("?name=").Equalities);

        Assert.Equal("", equality.Value);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-42", -42L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void Parse_IntegerProperty_IsLong(string text, long expected)
    {
        var equality = Assert.Single(Parse("?pop_max=" + Uri.EscapeDataString(text)).Equalities);

        Assert.Equal(expected, Assert.IsType<long>(equality.Value));
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-0.25", -0.25)]
    [InlineData("3", 3.0)]
    [InlineData("1e3", 1000.0)]
    public void Parse_NumberProperty_IsDouble(string text, double expected)
    {
        var equality = Assert.Single(Parse("?scalerank=" + Uri.EscapeDataString(text)).Equalities);

        Assert.Equal(expected, Assert.IsType<double>(equality.Value));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("0", false)]
    public void Parse_BooleanProperty_IsBool(string text, bool expected)
    {
        var equality = Assert.Single(Parse("?capital=" + text).Equalities);

        Assert.Equal(expected, Assert.IsType<bool>(equality.Value));
    }

    [Fact]
    public void Parse_DateProperty_IsDateOnly()
    {
        var equality = Assert.Single(Parse("?founded=1850-07-14").Equalities);

        Assert.Equal(new DateOnly(1850, 7, 14), Assert.IsType<DateOnly>(equality.Value));
    }

    [Fact]
    public void Parse_DateTimeProperty_IsUtcDateTimeOffset()
    {
        var equality = Assert.Single(Parse("?updated=" + Uri.EscapeDataString("2021-04-16T10:15:59+01:00")).Equalities);

        var value = Assert.IsType<DateTimeOffset>(equality.Value);
        Assert.Equal(new DateTimeOffset(2021, 4, 16, 9, 15, 59, TimeSpan.Zero), value);
        Assert.Equal(TimeSpan.Zero, value.Offset);
    }

    [Fact]
    public void Parse_SeveralProperties_AreAllFilters()
    {
        var query = Parse("?name=Paris&capital=true&pop_max=11000000&limit=5");

        Assert.Equal(["name", "capital", "pop_max"], query.Equalities.Select(e => e.Property.Name));
        Assert.Equal(5, query.Limit);
    }

    [Theory]
    [InlineData("pop_max", "1.5")]
    [InlineData("pop_max", "abc")]
    [InlineData("pop_max", "")]
    [InlineData("pop_max", "9223372036854775808")]
    [InlineData("pop_max", " 1")]
    [InlineData("pop_max", "1,000")]
    [InlineData("pop_max", "0x1F")]
    [InlineData("scalerank", "NaN")]
    [InlineData("scalerank", "Infinity")]
    [InlineData("scalerank", "-Infinity")]
    [InlineData("scalerank", "1e309")]
    [InlineData("scalerank", "one")]
    [InlineData("scalerank", "")]
    [InlineData("capital", "yes")]
    [InlineData("capital", "")]
    [InlineData("capital", "2")]
    [InlineData("founded", "1850-7-14")]
    [InlineData("founded", "1850-02-30")]
    [InlineData("founded", "14/07/1850")]
    [InlineData("founded", "")]
    [InlineData("updated", "not a time")]
    [InlineData("updated", "")]
    [InlineData("updated", "2021-04-16T25:15:59Z")]
    public void Parse_PropertyValueOfWrongType_Throws400NamingProperty(string property, string text)
    {
        var problem = AssertInvalid($"?{property}={Uri.EscapeDataString(text)}", property);

        Assert.Contains($"'{property}'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PropertyType.Integer, "integer")]
    [InlineData(PropertyType.Number, "number")]
    [InlineData(PropertyType.Boolean, "boolean")]
    [InlineData(PropertyType.Date, "date")]
    [InlineData(PropertyType.DateTime, "datetime")]
    public void ParseValue_Invalid_MessageNamesTheExpectedType(PropertyType type, string typeName)
    {
        var problem = Assert.Throws<ProblemException>(() => ItemsQueryParser.ParseValue("p", "\u0000<x>", type));

        Assert.Equal(400, problem.Status);
        Assert.Contains($"valid {typeName} ", problem.Message, StringComparison.Ordinal);
    }

    // ---- cursor ----

    [Fact]
    public void Parse_CursorFromPageToken_IsDecoded()
    {
        var token = PageToken.Encode(new PageCursor("1234", Backward: true));

        var query = Parse("?cursor=" + token);

        Assert.Equal(new PageCursor("1234", true), query.Cursor);
    }

    [Theory]
    [InlineData("garbage!")]
    [InlineData("")]
    [InlineData("YQ")]
    public void Parse_InvalidCursor_Throws400NamingCursor(string cursor)
    {
        AssertInvalid("?cursor=" + Uri.EscapeDataString(cursor), "cursor");
    }

    [Fact]
    public void Parse_SortBy_ReadsDirectionsAndKeepsOrder()
    {
        // '+' in a query string is a space: "+name" arrives as " name", still ascending.
        var query = Parse("sortby=-pop_max,+name,updated");

        Assert.Equal([("pop_max", true), ("name", false), ("updated", false)], query.SortBy.Select(k => (k.Property.Name, k.Descending)));
    }

    [Theory]
    [InlineData("sortby=nope")]
    [InlineData("sortby=tags")]
    [InlineData("sortby=name,-name")]
    [InlineData("sortby=")]
    public void Parse_BadSortBy_IsA400(string queryString) => AssertInvalid(queryString, "sortby");

    [Fact]
    public void Parse_Properties_ListsThemOrNone()
    {
        Assert.Equal(["name", "tags"], Parse("properties=name,tags").Properties);
        Assert.Empty(Parse("properties=").Properties!);
        Assert.Null(Parse("limit=5").Properties);
        Assert.True(Parse("properties=name&sortby=pop_max").Reads("pop_max"));
        Assert.False(Parse("properties=name").Reads("pop_max"));
    }

    [Fact]
    public void Parse_UnknownProperty_IsA400() => AssertInvalid("properties=name,nope", "properties");

    [Theory]
    [InlineData("filter=pop_max%20%3E%205", "pop_max > 5")]
    [InlineData("filter=%7B%22op%22%3A%22%3E%22%2C%22args%22%3A%5B%7B%22property%22%3A%22pop_max%22%7D%2C5%5D%7D&filter-lang=cql2-json", "pop_max > 5")]
    [InlineData("filter=S_INTERSECTS(geometry%2C%20POINT(50%207))&filter-crs=http%3A%2F%2Fwww.opengis.net%2Fdef%2Fcrs%2FEPSG%2F0%2F4326", "POINT(7 50)")]
    public void Parse_Filter_BindsItInItsLanguageAndCrs(string queryString, string expected)
    {
        var filter = Parse(queryString).Filter;

        Assert.NotNull(filter);
        Assert.Contains(expected, filter.ToString().Replace("S_INTERSECTS(geometry, ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("filter=pop_max%20%3E", "filter")]
    [InlineData("filter=true&filter-lang=ecql", "filter-lang")]
    [InlineData("filter=true&filter-crs=EPSG%3A999999", "filter-crs")]
    public void Parse_BadFilterParameters_AreA400(string queryString, string parameter) => AssertInvalid(queryString, parameter);
}
