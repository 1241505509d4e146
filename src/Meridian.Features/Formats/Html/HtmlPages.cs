using System.Globalization;
using System.Text.Json.Nodes;
using Meridian.Features.Api;
using Meridian.Hosting.Configuration;
using Meridian.Storage.Schema;
using Microsoft.AspNetCore.Http;

namespace Meridian.Features.Formats.Html;

/// <summary>The HTML pages of OGC API - Features: enough for a person to browse collections and their features.</summary>
internal static class HtmlPages
{
    private static (string, string) Home => ("/", "Home");

    private static (string, string) CollectionsCrumb => ("/collections?f=html", "Collections");

    private static string CollectionPath(string id) => $"/collections/{Uri.EscapeDataString(id)}";

    public static string Landing(FeaturesOptions options) =>
        Page.Layout(options.Title, [Home], "/?f=json", page =>
        {
            page.Element("p", options.Description).Raw("<ul>");
            page.Raw("<li>").Anchor("/collections?f=html", "Collections").Raw(" — the data, as tables and GeoJSON</li>");
            page.Raw("<li>").Anchor("/api?f=html", "API definition").Raw(" — every path and parameter (").Anchor("/api?f=json", "OpenAPI 3.0").Raw(")</li>");
            page.Raw("<li>").Anchor("/conformance?f=html", "Conformance").Raw(" — the OGC classes implemented</li></ul>");
        });

    public static string Conformance(IEnumerable<string> classes) =>
        Page.Layout("Conformance", [Home], "/conformance?f=json", page =>
        {
            page.Raw("<ul>");
            foreach (var c in classes) page.Raw("<li>").Anchor(c, c).Raw("</li>");
            page.Raw("</ul>");
        });

    public static string Collections(IReadOnlyList<CollectionDescription> collections) =>
        Page.Layout("Collections", [Home, CollectionsCrumb], "/collections?f=json", page =>
        {
            if (collections.Count == 0)
            {
                page.Element("p", "No collections yet. Load one with: meridian ingest FILE --collection NAME", "muted");
                return;
            }
            page.Raw("<table><tr><th>Collection</th><th>Description</th><th>Geometry</th><th>Extent (lon/lat)</th><th>Features</th></tr>");
            foreach (var d in collections)
            {
                var path = CollectionPath(d.Id);
                page.Raw("<tr><td>").Anchor(path + "?f=html", d.Collection.Schema.Title).Raw("</td>")
                    .Element("td", d.Collection.Schema.Description)
                    .Element("td", d.Collection.Schema.GeometryType.ToString())
                    .Element("td", ExtentText(d))
                    .Raw("<td>").Anchor(path + "/items?f=html", "browse").Raw(" · ").Anchor(path + "/items?f=json", "GeoJSON").Raw("</td></tr>");
            }
            page.Raw("</table>");
        });

    public static string Collection(CollectionDescription d) =>
        Page.Layout(d.Collection.Schema.Title, [Home, CollectionsCrumb, (CollectionPath(d.Id) + "?f=html", d.Id)], CollectionPath(d.Id) + "?f=json", page =>
        {
            var schema = d.Collection.Schema;
            page.Element("p", schema.Description);
            page.Raw("<dl>").Element("dt", "Id").Element("dd", schema.Id)
                .Element("dt", "Geometry").Element("dd", schema.GeometryType + (schema.HasZ ? " with heights (z)" : ""))
                .Element("dt", "Extent").Element("dd", ExtentText(d))
                .Element("dt", "Time").Element("dd", d.TemporalExtent is { } t ? $"{schema.TemporalProperty}: {Time(t.Start)} — {Time(t.End)}" : "none")
                .Raw("</dl>");
            page.Raw("<p>").Anchor(CollectionPath(d.Id) + "/items?f=html", "Browse the features").Raw(" · ")
                .Anchor(CollectionPath(d.Id) + "/items?f=json", "GeoJSON").Raw(" · ")
                .Anchor(Meridian.Features.Api.Queryables.Path(d.Id) + "?f=html", "Queryables (for filter and sortby)").Raw("</p>");
            page.Element("h2", "Properties").Raw("<table><tr><th>Name</th><th>Type</th><th>Filter with</th></tr>");
            foreach (var p in schema.Properties)
                page.Raw("<tr>").Element("td", p.Name).Element("td", p.Type.ToString().ToLowerInvariant())
                    .Element("td", p.IsQueryable ? $"?{p.Name}=…" : "").Raw("</tr>");
            page.Raw("</table>");
        });

    public static string Queryables(CollectionSchema schema) =>
        Page.Layout($"{schema.Title}: queryables", [Home, CollectionsCrumb, (CollectionPath(schema.Id) + "?f=html", schema.Id)],
            Meridian.Features.Api.Queryables.Path(schema.Id) + "?f=json", page =>
            {
                page.Element("p", "What filter, sortby and properties may name. Filters are CQL2 (filter-lang cql2-text or cql2-json).");
                page.Raw("<table><tr><th>Name</th><th>Type</th></tr>");
                page.Raw("<tr>").Element("td", schema.GeometryName).Element("td", $"geometry ({schema.GeometryType.ToString().ToLowerInvariant()})").Raw("</tr>");
                foreach (var p in schema.Properties.Where(p => p.IsQueryable))
                {
                    var (type, format) = Meridian.Features.Api.Queryables.JsonType(p.Type);
                    page.Raw("<tr>").Element("td", p.Name).Element("td", format ?? type).Raw("</tr>");
                }
                page.Raw("</table>");
            });

    /// <param name="properties">The columns to show (the <c>properties</c> parameter), or null for all.</param>
    public static string Items(HttpRequest request, CollectionSchema schema, IReadOnlyList<FeatureRow> rows, IReadOnlyList<Link> links,
        IReadOnlyList<string>? properties = null) =>
        Page.Layout($"{schema.Title}: features", [Home, CollectionsCrumb, (CollectionPath(schema.Id) + "?f=html", schema.Id)],
            Urls.Current(request, ("f", "json")), page =>
            {
                var shown = Enumerable.Range(0, schema.Properties.Count)
                    .Where(i => properties is null || properties.Contains(schema.Properties[i].Name, StringComparer.Ordinal)).ToList();
                Pager(page, links);
                page.Raw("<table><tr><th>id</th><th>geometry</th>");
                foreach (var i in shown) page.Element("th", schema.Properties[i].Name);
                page.Raw("</tr>");
                foreach (var row in rows)
                {
                    page.Raw("<tr><td>").Anchor($"{CollectionPath(schema.Id)}/items/{Uri.EscapeDataString(row.Id)}?f=html", row.Id).Raw("</td>")
                        .Element("td", row.Geometry?.GeometryType ?? "none");
                    foreach (var i in shown) page.Element("td", Value(row.Values[i]));
                    page.Raw("</tr>");
                }
                page.Raw("</table>");
                if (rows.Count == 0) page.Element("p", "No features match.", "muted");
                Pager(page, links);
            });

    public static string Feature(HttpRequest request, CollectionSchema schema, FeatureRow row) =>
        Page.Layout($"{schema.Title}: {row.Id}",
            [Home, CollectionsCrumb, (CollectionPath(schema.Id) + "?f=html", schema.Id), (CollectionPath(schema.Id) + "/items?f=html", "features")],
            Urls.Current(request, ("f", "json")), page =>
            {
                page.Raw("<dl>");
                for (var i = 0; i < schema.Properties.Count; i++)
                    page.Element("dt", schema.Properties[i].Name).Element("dd", Value(row.Values[i]));
                page.Element("dt", "geometry").Element("dd", row.Geometry?.GeometryType ?? "none").Raw("</dl>");
                if (row.Geometry is { } geometry) page.Raw(GeometrySvg.Render(geometry));
                });

    public static string Api(JsonObject document) =>
        Page.Layout("API definition", [Home], "/api?f=json", page =>
        {
            page.Element("p", "OpenAPI 3.0 description of this service. Machine-readable form: /api?f=json.");
            if (document["paths"] is not JsonObject paths) return;
            foreach (var (path, item) in paths)
            {
                var get = item?["get"];
                page.Element("h3", "GET " + path).Element("p", get?["summary"]?.GetValue<string>());
                if (get?["parameters"] is not JsonArray parameters || parameters.Count == 0) continue;
                page.Raw("<table><tr><th>Parameter</th><th>In</th><th>Description</th></tr>");
                foreach (var parameter in parameters)
                {
                    var resolved = Resolve(document, parameter);
                    page.Raw("<tr>").Element("td", resolved?["name"]?.GetValue<string>()).Element("td", resolved?["in"]?.GetValue<string>())
                        .Element("td", resolved?["description"]?.GetValue<string>()).Raw("</tr>");
                }
                page.Raw("</table>");
            }
        });

    private static JsonNode? Resolve(JsonObject document, JsonNode? parameter)
    {
        if (parameter?["$ref"]?.GetValue<string>() is not { } reference) return parameter;
        return document["components"]?["parameters"]?[reference.Split('/')[^1]];
    }

    private static void Pager(Page page, IEnumerable<Link> links)
    {
        page.Raw("<p class=\"pager\">");
        foreach (var link in links.Where(l => l.Rel is "prev" or "next"))
            page.Anchor(link.Href, link.Rel == "prev" ? "← previous" : "next →", link.Rel);
        page.Raw("</p>");
    }

    private static string ExtentText(CollectionDescription d) => d.Extent is { } e
        ? string.Create(CultureInfo.InvariantCulture, $"{e.MinX:0.####}, {e.MinY:0.####} — {e.MaxX:0.####}, {e.MaxY:0.####}")
        : "empty";

    private static string Time(DateTimeOffset? t) => t is { } v ? FeatureJson.FormatTime(v) : "…";

    private static string Value(object? value) => value switch
    {
        null => "",
        DateTimeOffset t => FeatureJson.FormatTime(t),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
