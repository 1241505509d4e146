using Meridian.Features.Api;
using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;

namespace Meridian.Features.Tests.Api;

public sealed class ContentNegotiationTests
{
    private const string GeoJson = "application/geo+json";

    // Accept headers as sent by real clients.
    private const string Firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
    private const string Chrome = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
    private const string Safari = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private const string Curl = "*/*";
    private const string Gdal = "application/geo+json, application/json;q=0.9, */*;q=0.1";
    private const string GdalNoWildcard = "application/geo+json, application/json;q=0.9";

    private static HttpRequest Request(string? query = null, string? accept = null)
    {
        var context = new DefaultHttpContext();
        if (query is not null) context.Request.QueryString = new QueryString(query);
        if (accept is not null) context.Request.Headers.Accept = accept;
        return context.Request;
    }

    private static OutputFormat Choose(string? query = null, string? accept = null) =>
        ContentNegotiation.Choose(Request(query, accept), GeoJson);

    private static void AssertNotAcceptable(string? query = null, string? accept = null)
    {
        var problem = Assert.Throws<ProblemException>(() => Choose(query, accept));
        Assert.Equal(StatusCodes.Status406NotAcceptable, problem.Status);
        Assert.Equal(ProblemTypes.NotAcceptable, problem.Type);
    }

    [Theory]
    [InlineData("?f=json")]
    [InlineData("?f=JSON")]
    [InlineData("?f=geojson")]
    [InlineData("?f=application%2Fjson")]
    [InlineData("?f=application%2Fgeo%2Bjson")]
    public void Choose_FormatParameterJson_ReturnsJson(string query)
    {
        Assert.Equal(OutputFormat.Json, Choose(query));
    }

    [Theory]
    [InlineData("?f=html")]
    [InlineData("?f=Html")]
    [InlineData("?f=text%2Fhtml")]
    public void Choose_FormatParameterHtml_ReturnsHtml(string query)
    {
        Assert.Equal(OutputFormat.Html, Choose(query));
    }

    [Theory]
    [InlineData("?f=html&f=json")]
    [InlineData("?f=json&f=html")]
    [InlineData("?f=json&f=json")]
    public void Choose_FormatParameterRepeated_IsABadRequestNamingF(string query)
    {
        var problem = Assert.Throws<ProblemException>(() => Choose(query));
        Assert.Equal(StatusCodes.Status400BadRequest, problem.Status);
        Assert.Equal(ProblemTypes.InvalidParameter, problem.Type);
        Assert.Contains("'f'", problem.Title);
    }

    [Theory]
    [InlineData("?f=html", "application/json", OutputFormat.Html)]
    [InlineData("?f=json", Firefox, OutputFormat.Json)]
    [InlineData("?f=json", "application/xml", OutputFormat.Json)]
    public void Choose_FormatParameter_WinsOverAcceptHeader(string query, string accept, OutputFormat expected)
    {
        Assert.Equal(expected, Choose(query, accept));
    }

    [Theory]
    [InlineData("?f=xml")]
    [InlineData("?f=csv")]
    [InlineData("?f=")]
    [InlineData("?f=%3Cscript%3E")]
    public void Choose_FormatParameterUnknown_Throws406(string query)
    {
        AssertNotAcceptable(query);
    }

    [Fact]
    public void Choose_UnknownFormat_DetailNamesTheFormat()
    {
        var problem = Assert.Throws<ProblemException>(() => Choose("?f=kml"));

        Assert.Contains("'kml'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_NoAcceptHeader_ReturnsJson()
    {
        Assert.Equal(OutputFormat.Json, Choose());
    }

    [Fact]
    public void Choose_EmptyAcceptHeader_ReturnsJson()
    {
        Assert.Equal(OutputFormat.Json, Choose(accept: ""));
    }

    [Theory]
    [InlineData(Firefox)]
    [InlineData(Chrome)]
    [InlineData(Safari)]
    public void Choose_BrowserAcceptHeader_ReturnsHtml(string accept)
    {
        Assert.Equal(OutputFormat.Html, Choose(accept: accept));
    }

    [Theory]
    [InlineData(Curl)]
    [InlineData(Gdal)]
    [InlineData(GdalNoWildcard)]
    [InlineData("application/json")]
    [InlineData("application/geo+json")]
    [InlineData("APPLICATION/GEO+JSON")]
    [InlineData("application/*")]
    public void Choose_ToolAcceptHeader_ReturnsJson(string accept)
    {
        Assert.Equal(OutputFormat.Json, Choose(accept: accept));
    }

    [Theory]
    [InlineData("text/html;q=0.5, application/json;q=0.9", OutputFormat.Json)]
    [InlineData("application/json;q=0.5, text/html", OutputFormat.Html)]
    [InlineData("application/json;q=0.1, text/html;q=0.2", OutputFormat.Html)]
    [InlineData("text/html;q=0, application/json;q=0.01", OutputFormat.Json)]
    [InlineData("application/json;q=0, text/html;q=0.001", OutputFormat.Html)]
    [InlineData("image/png, text/html;q=0.3, */*;q=0.2", OutputFormat.Html)]
    [InlineData("image/png, */*;q=0.5, text/html;q=0.4", OutputFormat.Json)]
    public void Choose_QualityValues_PicksHighestAvailable(string accept, OutputFormat expected)
    {
        Assert.Equal(expected, Choose(accept: accept));
    }

    [Theory]
    [InlineData("application/json, text/html", OutputFormat.Json)]
    [InlineData("text/html, application/json", OutputFormat.Html)]
    public void Choose_EqualQuality_FirstListedWins(string accept, OutputFormat expected)
    {
        Assert.Equal(expected, Choose(accept: accept));
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("application/xml, text/xml;q=0.9")]
    [InlineData("image/png")]
    [InlineData("text/csv")]
    [InlineData("*/*;q=0")]
    [InlineData("application/json;q=0, text/html;q=0")]
    public void Choose_NothingAvailableAccepted_Throws406(string accept)
    {
        AssertNotAcceptable(accept: accept);
    }

    [Fact]
    public void Choose_NotAcceptable_DetailNamesTheAvailableTypes()
    {
        var problem = Assert.Throws<ProblemException>(() => Choose(accept: "application/xml"));

        Assert.Contains(GeoJson, problem.Message, StringComparison.Ordinal);
        Assert.Contains("text/html", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_ResourceSpecificMediaType_ReturnsJson()
    {
        var request = Request(accept: "application/vnd.oai.openapi+json;version=3.0");

        Assert.Equal(OutputFormat.Json, ContentNegotiation.Choose(request, "application/vnd.oai.openapi+json;version=3.0"));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData(";;;")]
    [InlineData("text/")]
    [InlineData("/html")]
    [InlineData("\u00e9t\u00e9/html")]
    public void Choose_MalformedAcceptHeader_ReturnsJson(string accept)
    {
        Assert.Equal(OutputFormat.Json, Choose(accept: accept));
    }

    [Theory]
    [InlineData("text/html, ,, \"unterminated", OutputFormat.Html)]
    [InlineData("garbage, application/json;q=0.5, ;;", OutputFormat.Json)]
    [InlineData("text/html;q=abc, application/json;q=0.9", OutputFormat.Html)]
    public void Choose_PartlyMalformedAcceptHeader_HonoursTheValidEntries(string accept, OutputFormat expected)
    {
        // Invalid list items are skipped; a q-value that is not a number counts as the default q=1.
        Assert.Equal(expected, Choose(accept: accept));
    }

    [Theory]
    [InlineData("text/*")]
    [InlineData("image/*, text/*;q=0.8")]
    public void Choose_TextWildcard_ReturnsHtml(string accept)
    {
        Assert.Equal(OutputFormat.Html, Choose(accept: accept));
    }

    [Fact]
    public void Choose_VeryLongAcceptHeader_DoesNotThrow()
    {
        var accept = string.Join(", ", Enumerable.Range(0, 5_000).Select(i => $"application/x-type{i};q=0.{i % 9 + 1}")) + ", text/html;q=0.95";

        Assert.Equal(OutputFormat.Html, Choose(accept: accept));
    }
}
