using BenchmarkDotNet.Attributes;
using Meridian.Gateway.Tests.Waf.Corpus;
using Meridian.Gateway.Waf;
using Meridian.Hosting.Configuration;

namespace Meridian.Bench.Gateway;

/// <summary>
/// The WAF on typical requests at level 1 (goal: under 50 µs each): a browser page view, a CQL2 query, a feature POST
/// (repeated, so their clean values are remembered after the first), and a CQL2 query whose filter is new every time
/// (decoding and every pre-filter run: the cost of traffic the WAF has not seen).
/// </summary>
public class WafBenchmarks
{
    private readonly WafInspector _inspector = new(new WafOptions());
    private WafCase _browser = null!;
    private WafCase _cql2 = null!;
    private WafCase _feature = null!;
    private int _unseen;

    [GlobalSetup]
    public void Setup()
    {
        _browser = new WafCase("browser", "GET", "/collections/countries/items?f=html&limit=10&bbox=0,40,20,55", LegitimateCorpus.Browsers[0]);
        _cql2 = new WafCase("cql2", "GET", "/collections/places/items?filter-lang=cql2-text&filter="
            + Uri.EscapeDataString("name LIKE 'Ber%' AND pop > 1000 AND S_INTERSECTS(geometry, POLYGON((7 50, 10 50, 10 53, 7 53, 7 50)))"),
            LegitimateCorpus.Browsers[1]);
        _feature = new WafCase("geojson", "POST", "/collections/places/items", LegitimateCorpus.Browsers[6],
            """{"type":"Feature","properties":{"name":"Bern","pop":133883,"country":"Switzerland","capital":true},"geometry":{"type":"Point","coordinates":[7.4474,46.948]}}""",
            "application/geo+json");
    }

    [Benchmark(Baseline = true)]
    public ValueTask<bool> BrowserPageView() => PassesAsync(_browser);

    [Benchmark]
    public ValueTask<bool> Cql2Query() => PassesAsync(_cql2);

    [Benchmark]
    public ValueTask<bool> FeaturePost() => PassesAsync(_feature);

    [Benchmark]
    public ValueTask<bool> Cql2QueryUnseen() => PassesAsync(new WafCase("cql2", "GET", "/collections/places/items?filter-lang=cql2-text&filter="
        + Uri.EscapeDataString($"name LIKE 'Ber%' AND pop > {++_unseen} AND S_INTERSECTS(geometry, POLYGON((7 50, 10 50, 10 53, 7 53, 7 50)))"),
        LegitimateCorpus.Browsers[1]));

    /// <summary>Includes building the request (a DefaultHttpContext), a small part of the figure.</summary>
    private async ValueTask<bool> PassesAsync(WafCase request) => await _inspector.InspectAsync(request.ToHttpContext()) is null;
}
