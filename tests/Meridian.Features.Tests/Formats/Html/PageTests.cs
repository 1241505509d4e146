using Meridian.Features.Formats.Html;

namespace Meridian.Features.Tests.Formats.Html;

public sealed class PageTests
{
    private const string Hostile = "<script>alert(\"x\")</script>' onmouseover='alert(1)";

    private static string Render(Action<Page> body) =>
        Page.Layout("t", [], null, body);

    private static string Body(string html)
    {
        var start = html.IndexOf("<main>", StringComparison.Ordinal);
        return html[start..];
    }

    [Fact]
    public void Text_ScriptAndQuotes_AreEncoded()
    {
        var html = Body(Render(page => page.Text(Hostile)));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("'", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"x\"", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_Null_WritesNothing()
    {
        var html = Body(Render(page => page.Raw("[").Text(null).Raw("]")));

        Assert.Contains("[]", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_Ampersand_IsEncodedOnce()
    {
        var html = Body(Render(page => page.Text("Bosnia & Herzegovina &amp;")));

        Assert.Contains("Bosnia &amp; Herzegovina &amp;amp;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Element_HostileText_IsEncodedInsideTheElement()
    {
        var html = Body(Render(page => page.Element("td", Hostile, "value")));

        Assert.StartsWith("<main><h1>t</h1><td class=\"value\">&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Single(html.Split("<td").Skip(1));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("</td></main></body></html>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Anchor_HostileHrefAndText_CannotLeaveTheAttribute()
    {
        var html = Body(Render(page => page.Anchor("/x\" onclick=\"alert(1)", Hostile, "next\"><script>")));

        Assert.DoesNotContain("\" onclick", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<a href=\"/x&quot; onclick=&quot;alert(1)\" rel=\"next&quot;&gt;&lt;script&gt;\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Anchor_JavascriptHref_IsAtLeastEncoded()
    {
        var html = Body(Render(page => page.Anchor("javascript:alert(\"pwned\")//'<x>", "click")));

        Assert.DoesNotContain("\"pwned\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<x>", html, StringComparison.Ordinal);
        Assert.Contains("alert(&quot;pwned&quot;)//&#x27;&lt;x&gt;\">click</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Anchor_QueryStringHref_KeepsItUsable()
    {
        var html = Body(Render(page => page.Anchor("/collections/a/items?f=html&limit=10", "next")));

        Assert.Contains("<a href=\"/collections/a/items?f=html&amp;limit=10\">next</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Layout_HostileTitleAndBreadcrumbs_AreEncoded()
    {
        var html = Page.Layout(Hostile, [("/\"><script>", Hostile)], "/x?f=json\"<", _ => { });

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<title>&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<h1>&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/x?f=json&quot;&lt;\" rel=\"alternate\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_NonAsciiText_IsCharacterReferences()
    {
        var html = Body(Render(page => page.Text("Zürich")));

        // HtmlEncoder.Default escapes everything outside Basic Latin; browsers show the same text.
        Assert.Contains("Z&#xFC;rich", html, StringComparison.Ordinal);
    }
}
