using Meridian.Hosting.Problems;
using Meridian.Storage.Spatial;
using Microsoft.AspNetCore.Http;

namespace Meridian.Features.Api;

/// <summary>The CRS parameters of OGC API - Features Part 2: <c>crs</c> (output) and <c>bbox-crs</c>, CRS84 when absent.</summary>
public static class CrsParameters
{
    public const string Crs = "crs";
    public const string BboxCrs = "bbox-crs";

    /// <summary>The conformance class of Part 2, Coordinate Reference Systems by Reference.</summary>
    public const string ConformanceClass = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs";

    /// <summary>The request header naming the CRS of a written feature's geometry (OGC 20-002r1, 9.5).</summary>
    public const string ContentCrsHeader = "Content-Crs";

    /// <summary>
    /// The CRS of a write's geometry: what <c>Content-Crs</c> names (<c>&lt;uri&gt;</c>, as Part 2 writes it in responses,
    /// or a bare URI or CURIE), CRS84 without it (/req/features/default-crs); one Meridian does not carry is a 400
    /// naming the header (/req/features/crs-other-crs B).
    /// </summary>
    public static Crs ParseContentCrs(HttpRequest request)
    {
        var text = request.Headers[ContentCrsHeader].ToString().Trim();
        if (text.Length == 0) return CrsRegistry.Crs84;
        var identifier = text.StartsWith('<') && text.EndsWith('>') ? text[1..^1].Trim() : text;
        if (CrsRegistry.TryParse(identifier, out var crs)) return crs;
        throw new ProblemException(StatusCodes.Status400BadRequest, ProblemTypes.InvalidParameter, $"Invalid header '{ContentCrsHeader}'",
            $"{ContentCrsHeader} '{Shown(text)}' is not a CRS this service supports: give one of the collection's crs list as <uri>, such as <{CrsRegistry.Crs84Uri}>.");
    }

    private static string Shown(string text) => text.Length > 100 ? text[..100] + "…" : text;

    /// <summary>The CRS a parameter names, CRS84 without it; one Meridian does not serve is a 400 naming it.</summary>
    public static Crs Parse(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values)) return CrsRegistry.Crs84;
        var text = values.ToString();
        if (CrsRegistry.TryParse(text, out var crs)) return crs;
        throw ProblemException.InvalidParameter(name,
            $"{name} '{Shown(text)}' is not a CRS this service supports: give a URI of the collection's crs list, such as {CrsRegistry.Crs84Uri} or http://www.opengis.net/def/crs/EPSG/0/4326.");
    }
}
