using Meridian.Gateway.Waf;

namespace Meridian.Gateway.Tests.Waf;

public sealed class WafDecoderTests
{
    [Theory]
    [InlineData("%u0027%u0020OR%u00201=1", "' OR 1=1")]
    [InlineData("..%c0%af..%c1%9cetc", "../..\\etc")]
    [InlineData("%25c0%25ae%25c0%25ae/etc", "../etc")]
    [InlineData("&#0000106&#0000097vascript:", "javascript:")]
    [InlineData("&#x6A;avascript&colon;print&lpar;&rpar;", "javascript:print()")]
    [InlineData("\\u003cscript\\u003e\\x3c/script\\x3e", "<script></script>")]
    [InlineData("\uFF1Cscript\uFF1E \uFF07\u3000\uFF2F\uFF32", "<script> ' OR")]
    [InlineData("..\u2215..\u2216etc", "../..\\etc")]
    [InlineData("東京（Tokyo）", "東京(Tokyo)")]
    public void Normalize_ReadsTheValueAsTheBackendWould(string value, string expected) =>
        Assert.Equal(expected, WafDecoder.Normalize(value));

    [Theory]
    [InlineData("Zürich, Genève")]
    [InlineData("Côte d'Ivoire")]
    [InlineData("AT&T Park")]
    public void Normalize_LeavesOrdinaryTextAlone(string value) => Assert.Equal(value, WafDecoder.Normalize(value));

    /// <summary>Malformed or out-of-range encodings are not characters: they stay as written, and nothing throws.</summary>
    [Theory]
    [InlineData("&#99999999;")]
    [InlineData("&#x110000;")]
    [InlineData("&#xD800;")]
    [InlineData("%uZZZZ %u12")]
    [InlineData("%zz %u %1")]
    [InlineData(@"\uGGGG \x")]
    [InlineData("&colon")]
    public void Normalize_LeavesMalformedEncodingsAsWritten(string value) => Assert.Equal(value, WafDecoder.Normalize(value));

    /// <summary>Truncated UTF-8 and a NUL reference read as .NET's URL and HTML decoders read them (U+FFFD, NUL).</summary>
    [Theory]
    [InlineData("%c0 x", "\uFFFD x")]
    [InlineData("%e0%80", "\uFFFD\uFFFD")]
    [InlineData("a&#0;b", "a\0b")]
    public void Normalize_ReadsBrokenSequencesAsTheFrameworkDoes(string value, string expected) =>
        Assert.Equal(System.Text.RegularExpressions.Regex.Unescape(expected), WafDecoder.Normalize(value));

    [Fact]
    public void Normalize_PlainAsciiValue_IsTheSameInstance()
    {
        const string filter = "name LIKE 'Ber' AND pop > 1000";

        Assert.Same(filter, WafDecoder.Normalize(filter));
    }

    [Theory]
    [InlineData("0 UN/**/ION SEL/**/ECT 1", "0 UNION SELECT 1")]
    [InlineData("1/**/UNION/**/SELECT 1", "1 UNION SELECT 1")]
    [InlineData("-3 UNION#x\nSELECT 1", "-3 UNION SELECT 1")]
    [InlineData("-3 UNION-- x\nSELECT 1", "-3 UNION SELECT 1")]
    [InlineData("a;w'h'o'am'i", "a;whoami")]
    [InlineData("a|c\\a\\t /e\\tc/group", "a|cat /etc/group")]
    public void Variants_IncludeTheReadingASqlParserOrShellMakes(string value, string expected) =>
        Assert.Contains(expected, WafDecoder.Variants(value) ?? []);

    [Theory]
    [InlineData("name LIKE 'Ber%' AND pop > 1000")]
    [InlineData("name = 'O''Brien' OR name = 'Côte d''Ivoire'")]
    [InlineData("S_INTERSECTS(geometry, POLYGON((7 50, 10 50, 10 53, 7 53, 7 50)))")]
    public void Variants_OfCql2_AreNone(string filter) => Assert.Null(WafDecoder.Variants(filter));
}
