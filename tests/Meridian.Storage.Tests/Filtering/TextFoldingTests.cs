using Meridian.Storage.Filtering;

namespace Meridian.Storage.Tests.Filtering;

public sealed class TextFoldingTests
{
    [Theory]
    [InlineData("København", "Kobenhavn")]
    [InlineData("KØBENHAVN", "KOBENHAVN")]
    [InlineData("São Paulo", "Sao Paulo")]
    [InlineData("Łódź", "Lodz")]
    [InlineData("Æbeltoft Straße", "AEbeltoft Strasse")]
    [InlineData("Ǿresund", "Oresund")]
    [InlineData("Ha\u0300 No\u0323i", "Ha Noi")]
    [InlineData("Hà Nội", "Ha Noi")]
    public void RemoveAccents_LettersWithMarksStrokesAndLigatures_FoldToTheirBase(string text, string expected)
    {
        Assert.Equal(expected, TextFolding.RemoveAccents(text));
    }

    [Theory]
    [InlineData("KØBENHAVN", "københavn")]
    [InlineData("ÀÉÎÕÜ ΑΒΓ ДЖ", "àéîõü αβγ дж")]
    [InlineData("ＡＢＣ", "ａｂｃ")]
    public void Lower_UnicodeLetters_AreLowered(string text, string expected)
    {
        Assert.Equal(expected, TextFolding.Lower(text));
    }

    [Fact]
    public void Tables_ForTranslate_HaveMatchingLengths()
    {
        Assert.Equal(TextFolding.LowerFrom.Length, TextFolding.LowerTo.Length);
        Assert.True(TextFolding.AccentFrom.Length > TextFolding.AccentTo.Length, "combining marks are deleted");
        Assert.Equal(TextFolding.AccentFrom.Length, TextFolding.AccentFrom.Distinct().Count());
    }
}
