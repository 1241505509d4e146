using Meridian.Features.Api;
using Meridian.Hosting.Problems;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;

namespace Meridian.Features.Tests.Api;

public sealed class PageTokenTests
{
    [Theory]
    [InlineData("0", false)]
    [InlineData("42", false)]
    [InlineData("9223372036854775807", true)]
    [InlineData("-17", true)]
    [InlineData("ABC-123", false)]
    [InlineData("Zürich", true)]
    [InlineData("東京都", false)]
    [InlineData("🗺️ map", true)]
    [InlineData("a:b:c", false)]
    [InlineData(":", true)]
    [InlineData("b:", false)]
    [InlineData("", false)]
    [InlineData("with space/and+plus=and?query&amp", true)]
    [InlineData("line\nbreak\ttab", false)]
    public void Encode_ThenDecode_ReturnsTheSameCursor(string key, bool backward)
    {
        var cursor = new PageCursor(key, backward);

        var decoded = PageToken.Decode(PageToken.Encode(cursor));

        Assert.Equal(cursor, decoded);
    }

    [Fact]
    public void Encode_AnyKey_IsUrlSafe()
    {
        var token = PageToken.Encode(new PageCursor("?&=/+ ~ü東\u00ff\u00fe", false));

        Assert.All(token, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not URL-safe"));
    }

    [Fact]
    public void Encode_LongKey_RoundTrips()
    {
        var cursor = new PageCursor(new string('x', 10_000) + "é", false);

        Assert.Equal(cursor, PageToken.Decode(PageToken.Encode(cursor)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!!")]
    [InlineData("a")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("YQ")] // "a"
    [InlineData("eDo0Mg")] // "x:42"
    [InlineData("YTs0Mg")] // "a;42"
    [InlineData("QTo0Mg")] // "A:42"
    public void Decode_InvalidToken_Throws400NamingCursor(string token)
    {
        var problem = Assert.Throws<ProblemException>(() => PageToken.Decode(token));

        Assert.Equal(400, problem.Status);
        Assert.Equal(ProblemTypes.InvalidParameter, problem.Type);
        Assert.Contains("cursor", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TamperedFirstCharacter_Throws400()
    {
        var token = PageToken.Encode(new PageCursor("42", false));
        var tampered = (token[0] == 'Z' ? 'Y' : 'Z') + token[1..];

        var problem = Assert.Throws<ProblemException>(() => PageToken.Decode(tampered));

        Assert.Equal(400, problem.Status);
    }

    [Fact]
    public void Decode_TruncatedToOneCharacter_Throws400()
    {
        var token = PageToken.Encode(new PageCursor("123456", false));

        var problem = Assert.Throws<ProblemException>(() => PageToken.Decode(token[..1]));

        Assert.Equal(400, problem.Status);
    }

    [Fact]
    public void Decode_EveryTruncationOfAToken_ThrowsOnlyProblemOrDecodes()
    {
        var token = PageToken.Encode(new PageCursor("Zürich:東京", true));

        for (var length = 0; length < token.Length; length++)
        {
            try
            {
                var cursor = PageToken.Decode(token[..length]);
                Assert.StartsWith(cursor.Key.TrimEnd('\uFFFD'), "Zürich:東京", StringComparison.Ordinal);
            }
            catch (ProblemException problem)
            {
                Assert.Equal(400, problem.Status);
            }
        }
    }

    [Fact]
    public void Decode_ValidBase64OfInvalidUtf8_DecodesToReplacementCharacters()
    {
        var token = System.Buffers.Text.Base64Url.EncodeToString([(byte)'a', (byte)':', 0xFF, 0xFE, 0xC3]);

        var cursor = PageToken.Decode(token);

        Assert.False(cursor.Backward);
        Assert.Equal("\uFFFD\uFFFD\uFFFD", cursor.Key);
    }

    private static readonly IReadOnlyList<SortProperty> SortByEveryType =
    [
        new(new PropertySchema("s", PropertyType.String), false), new(new PropertySchema("i", PropertyType.Integer), true),
        new(new PropertySchema("n", PropertyType.Number), false), new(new PropertySchema("b", PropertyType.Boolean), false),
        new(new PropertySchema("d", PropertyType.Date), false), new(new PropertySchema("t", PropertyType.DateTime), false),
    ];

    [Fact]
    public void Encode_ThenDecode_SortedCursor_KeepsTypedValues()
    {
        object?[] values = ["Zürich", 42L, 2.5, true, new DateOnly(2022, 4, 16), new DateTimeOffset(2022, 4, 16, 10, 13, 19, 120, TimeSpan.Zero)];
        var cursor = new PageCursor("17", true) { SortValues = values };

        var decoded = PageToken.Decode(PageToken.Encode(cursor), SortByEveryType);

        Assert.Equal(("17", true), (decoded.Key, decoded.Backward));
        Assert.Equal(values, decoded.SortValues);
        Assert.Equal([null, null], PageToken.Decode(PageToken.Encode(new PageCursor("1", false) { SortValues = [null, null] }), SortByEveryType.Take(2).ToList()).SortValues);
    }

    [Fact]
    public void Decode_CursorOfAnotherSort_IsA400()
    {
        var unsorted = PageToken.Encode(new PageCursor("17", false));
        var sorted = PageToken.Encode(new PageCursor("17", false) { SortValues = ["x"] });

        Assert.Throws<ProblemException>(() => PageToken.Decode(unsorted, SortByEveryType));
        Assert.Throws<ProblemException>(() => PageToken.Decode(sorted));
        Assert.Throws<ProblemException>(() => PageToken.Decode(sorted, SortByEveryType.Skip(1).Take(1).ToList()));
        Assert.Throws<ProblemException>(() => PageToken.Decode(sorted, SortByEveryType));
    }
}
