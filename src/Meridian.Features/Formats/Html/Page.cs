using System.Text;
using System.Text.Encodings.Web;

namespace Meridian.Features.Formats.Html;

/// <summary>
/// A small HTML builder: every piece of text goes through <see cref="Text"/> (HTML-encoded), so data from
/// stores and URLs can never inject markup. Pages share one layout with breadcrumbs and a JSON link.
/// </summary>
internal sealed class Page
{
    private readonly StringBuilder _html = new();

    public Page Raw(string html)
    {
        _html.Append(html);
        return this;
    }

    public Page Text(string? text)
    {
        _html.Append(HtmlEncoder.Default.Encode(text ?? ""));
        return this;
    }

    public Page Element(string tag, string? text, string? cssClass = null)
    {
        _html.Append('<').Append(tag);
        if (cssClass is not null) _html.Append(" class=\"").Append(cssClass).Append('"');
        _html.Append('>');
        Text(text);
        _html.Append("</").Append(tag).Append('>');
        return this;
    }

    public Page Anchor(string href, string text, string? rel = null)
    {
        _html.Append("<a href=\"").Append(HtmlEncoder.Default.Encode(href)).Append('"');
        if (rel is not null) _html.Append(" rel=\"").Append(HtmlEncoder.Default.Encode(rel)).Append('"');
        _html.Append('>');
        Text(text);
        _html.Append("</a>");
        return this;
    }

    public static string Layout(string title, IEnumerable<(string Href, string Text)> breadcrumbs, string? jsonHref, Action<Page> body)
    {
        var page = new Page();
        page.Raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
            .Text(title).Raw("</title><style>").Raw(Css).Raw("</style></head><body><header><nav>");
        var first = true;
        foreach (var (href, text) in breadcrumbs)
        {
            if (!first) page.Raw(" / ");
            page.Anchor(href, text);
            first = false;
        }
        if (jsonHref is not null) page.Raw("<span class=\"formats\">").Anchor(jsonHref, "JSON", "alternate").Raw("</span>");
        page.Raw("</nav></header><main>").Element("h1", title);
        body(page);
        page.Raw("</main></body></html>");
        return page._html.ToString();
    }

    private const string Css = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1d2733;background:#f7f8fa}
        header{background:#14324a;color:#fff;padding:.6rem 1.2rem}header a{color:#cfe3f5;text-decoration:none}
        .formats{float:right}main{padding:1rem 1.2rem;max-width:80rem}
        table{border-collapse:collapse;background:#fff;font-size:.9rem}th,td{border:1px solid #d5dbe3;padding:.3rem .5rem;text-align:left;vertical-align:top}
        th{background:#eef2f6}.pager a{margin-right:1rem}.muted{color:#5b6b7c}svg{background:#fff;border:1px solid #d5dbe3}
        dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}
        """;
}
