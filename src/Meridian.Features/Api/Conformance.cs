namespace Meridian.Features.Api;

/// <summary>The OGC API - Features conformance classes this module implements.</summary>
public static class Conformance
{
    public static readonly IReadOnlyList<string> Classes =
    [
        "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        CrsParameters.ConformanceClass,
        // Part 3: filtering, with every CQL2 class the stores evaluate (array functions on array literals: no
        // store has array-valued properties).
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
        .. new[]
        {
            "basic-cql2", "advanced-comparison-operators", "case-insensitive-comparison", "accent-insensitive-comparison",
            "basic-spatial-functions", "basic-spatial-functions-plus", "spatial-functions", "temporal-functions", "array-functions",
            "property-property", "arithmetic", "cql2-text", "cql2-json",
        }.Select(c => "http://www.opengis.net/spec/cql2/1.0/conf/" + c),
        // Part 4 (OGC 20-002r1, draft): POST, PUT and DELETE; PATCH; both on GeoJSON features.
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
    ];
}
