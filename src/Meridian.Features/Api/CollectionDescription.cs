using Meridian.Features.Formats;
using Meridian.Storage;
using Meridian.Storage.Querying;
using Meridian.Storage.Spatial;
using Microsoft.AspNetCore.Http;
using NetTopologySuite.Geometries;

namespace Meridian.Features.Api;

/// <summary>A collection's metadata as the API describes it, with its extents computed from the data.</summary>
public sealed record CollectionDescription(IFeatureCollection Collection, Envelope? Extent, TimeInterval? TemporalExtent)
{
    public const string TemporalReference = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian";

    public static async Task<CollectionDescription> LoadAsync(IFeatureCollection collection, Hosting.Telemetry.GeospatialMetrics metrics, CancellationToken ct)
    {
        metrics.SpatialQuery("extent");
        return new CollectionDescription(collection, await collection.GetExtentAsync(ct), await collection.GetTemporalExtentAsync(ct));
    }

    public string Id => Collection.Schema.Id;

    public IEnumerable<Link> Links(HttpRequest request)
    {
        var path = $"/collections/{Uri.EscapeDataString(Id)}";
        var title = Collection.Schema.Title;
        var contributed = FeaturesApi.Contributions(request.HttpContext).SelectMany(c => c.CollectionLinks).Select(l => new Link(
            Urls.To(request, l.Path.Replace(Hosting.Modules.ApiContribution.CollectionIdToken, Uri.EscapeDataString(Id), StringComparison.Ordinal)),
            l.Rel, l.Type, $"{title}: {l.Title}"));
        return
        [
            new Link(Urls.To(request, path, ("f", "json")), "self", MediaTypes.Json, $"{title} as JSON"),
            new Link(Urls.To(request, path, ("f", "html")), "alternate", MediaTypes.Html, $"{title} as HTML"),
            new Link(Urls.To(request, path + "/items", ("f", "json")), "items", MediaTypes.GeoJson, $"{title} features as GeoJSON"),
            new Link(Urls.To(request, path + "/items", ("f", "html")), "items", MediaTypes.Html, $"{title} features as HTML"),
            new Link(Urls.To(request, Queryables.Path(Id), ("f", "json")), Queryables.Rel, Queryables.MediaType, $"{title}: what filters may name"),
            .. contributed,
        ];
    }

    /// <param name="crsInList">Whether the description sits in the collections list, whose global <c>crs</c> it then refers to.</param>
    public object ToJson(HttpRequest request, bool crsInList = false)
    {
        var json = new Dictionary<string, object?>
        {
            ["id"] = Id,
            ["title"] = Collection.Schema.Title,
            ["itemType"] = "feature",
            ["crs"] = crsInList ? ["#/crs"] : CrsRegistry.Uris,
            ["extent"] = ExtentJson(),
            ["links"] = Links(request),
        };
        // collection.yaml (/req/core/fc-md-items) makes description a string: a layer without one leaves it out, not null.
        if (Collection.Schema.Description is { } description) json["description"] = description;
        // A storage CRS without a bundled definition is not served, so it is not named either.
        if (CrsRegistry.ForStorage(Collection.Schema.StorageSrid) is { } storage) json["storageCrs"] = storage.Uri;
        return json;
    }

    private Dictionary<string, object> ExtentJson()
    {
        var extent = new Dictionary<string, object>();
        // Spatial indexes round outwards (SQLite's R-tree keeps 32-bit floats): keep the box on the globe.
        if (Extent is { } e)
            extent["spatial"] = new
            {
                bbox = new[] { new[] { Math.Max(e.MinX, -180), Math.Max(e.MinY, -90), Math.Min(e.MaxX, 180), Math.Min(e.MaxY, 90) } },
                crs = ItemsQueryParser.Crs84,
            };
        if (TemporalExtent is { } t)
        {
            var interval = new[] { t.Start is { } s ? FeatureJson.FormatTime(s) : null, t.End is { } end ? FeatureJson.FormatTime(end) : null };
            extent["temporal"] = new { interval = new[] { interval }, trs = TemporalReference };
        }
        return extent;
    }
}
