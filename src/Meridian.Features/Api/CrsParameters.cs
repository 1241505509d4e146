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

    /// <summary>The CRS a parameter names, CRS84 without it; one Meridian does not serve is a 400 naming it.</summary>
    public static Crs Parse(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values)) return CrsRegistry.Crs84;
        var text = values.ToString();
        if (CrsRegistry.TryParse(text, out var crs)) return crs;
        var shown = text.Length > 100 ? text[..100] + "…" : text;
        throw ProblemException.InvalidParameter(name,
            $"{name} '{shown}' is not a CRS this service supports: give a URI of the collection's crs list, such as {CrsRegistry.Crs84Uri} or http://www.opengis.net/def/crs/EPSG/0/4326.");
    }
}
