using Meridian.Hosting.Problems;
using Meridian.Storage;
using Microsoft.AspNetCore.Http;

namespace Meridian.Tiles.Api;

/// <summary>
/// The <c>collections</c> parameter of the dataset tileset and its tiles (OGC API - Tiles, conformance class
/// collections-selection): a comma-separated list of collection ids or of the collections' URLs on this server.
/// Only those collections become layers, in the order given (/req/collections-selection/collections-response).
/// </summary>
internal static class CollectionsSelection
{
    public const string Parameter = "collections";

    /// <summary>
    /// The layers named, in the order named (a repeat counts once); every layer without the parameter. The parameter is
    /// a list of one or more ids (<c>minItems: 1</c> in the standard's OpenAPI fragment): an empty value, an empty entry
    /// ("a,,b", a trailing comma) is a 400 naming it, as is an id that is no collection's (a repeated parameter is refused
    /// with every other one, before this).
    /// An empty value used to select no layer, and every tile was an empty 204.
    /// </summary>
    public static IReadOnlyList<IFeatureCollection> Select(HttpRequest request, IReadOnlyList<IFeatureCollection> layers)
    {
        if (!request.Query.TryGetValue(Parameter, out var value)) return layers;
        var entries = value.ToString().Split(',', StringSplitOptions.TrimEntries);
        if (entries.Any(e => e.Length == 0))
            throw ProblemException.InvalidParameter(Parameter, "Expected a comma-separated list of one or more collection ids, without empty entries.");
        var selected = new List<IFeatureCollection>();
        foreach (var entry in entries)
        {
            var id = CollectionId(request, entry);
            var layer = layers.FirstOrDefault(l => l.Schema.Id == id)
                ?? throw ProblemException.InvalidParameter(Parameter, $"There is no collection '{entry}'.");
            if (!selected.Contains(layer)) selected.Add(layer);
        }
        return selected;
    }

    /// <summary>
    /// What links from a selected tileset carry, so that its tiles and other representations show the same layers:
    /// the selection's ids in order, or nothing without the parameter.
    /// </summary>
    public static QueryString Query(HttpRequest request, IReadOnlyList<IFeatureCollection> selected) =>
        request.Query.ContainsKey(Parameter) ? QueryString.Create(Parameter, string.Join(',', selected.Select(l => l.Schema.Id))) : QueryString.Empty;

    /// <summary>
    /// The id an entry names: the entry itself, or for a URL of this server's <c>/collections/{id}</c> the (unescaped)
    /// id it ends with. Any other URL names no collection and stays as it is, to be reported as unknown.
    /// </summary>
    internal static string CollectionId(HttpRequest request, string entry)
    {
        var prefix = Urls.Base(request) + "/collections/";
        if (!entry.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return entry;
        var id = entry[prefix.Length..].TrimEnd('/');
        return id.Length == 0 || id.Contains('/') || id.Contains('?') || id.Contains('#') ? entry : Uri.UnescapeDataString(id);
    }
}
