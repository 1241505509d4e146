using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;

namespace Meridian.Deploy.Tests.Observability;

/// <summary>
/// The alert rules and the dashboard ask only for series Meridian exports, with labels it sets (or Prometheus adds):
/// a real server is asked for features, tiles, a 404 and its probes, runs a job that succeeds and one that fails, then is scraped.
/// </summary>
public sealed partial class MetricsTests : IAsyncLifetime
{
    private const string Rules = "deploy/observability/prometheus/meridian.rules.yml";
    private const string Dashboard = "deploy/observability/grafana/meridian.json";

    /// <summary>Labels the scrape configuration adds to every target (deploy/observability/prometheus/prometheus.yml) or Prometheus always has.</summary>
    private static readonly HashSet<string> TargetLabels = ["component", "pod", "job", "instance"];

    private const string ApiKey = "metrics-test-key-0123456789";
    private const string Point = """{"type": "Point", "coordinates": [10, 50]}""";

    private readonly TempDirectory _data = new();
    private WebApplication? _app;
    private string _scrape = "";
    private readonly Dictionary<string, HashSet<string>> _exported = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        _app = await LoopbackHost.StartAsync(new Dictionary<string, string?>
        {
            ["Meridian:Data"] = _data.Path,
            ["Meridian:GeoPackages:0"] = Cql2Dataset.FilePath,
            ["Meridian:Security:ApiKeys:0"] = ApiKey,
        });
        using var client = new HttpClient { BaseAddress = new Uri(LoopbackHost.Address(_app)) };
        foreach (var path in new[] { "/health", "/ready" }) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/collections/" + Cql2Dataset.Countries + "/items?limit=2&bbox=0,40,20,55")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/collections/" + Cql2Dataset.Countries + "/tiles/WebMercatorQuad/1/0/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/collections/no-such-collection")).StatusCode);
        Assert.Equal("successful", await RunJobAsync(client, "buffer", $$"""{"inputs": {"input": {{Point}}, "distance": 100, "output": {"collection": "zone"} } }"""));
        Assert.Equal("failed", await RunJobAsync(client, "reproject", $$"""{"inputs": {"input": {{Point}}, "crs": "EPSG:1"} }"""));

        _scrape = await client.GetStringAsync(DeployedMetricsPath());
        foreach (var line in _scrape.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var name = SeriesNameRegex().Match(line).Value;
            if (!_exported.TryGetValue(name, out var labels)) _exported[name] = labels = new(StringComparer.Ordinal);
            labels.UnionWith(LabelRegex().Matches(line).Select(m => m.Groups[1].Value));
        }
    }

    /// <summary>Executes a process as a job (Prefer: respond-async) and waits for the worker role to end it.</summary>
    private static async Task<string> RunJobAsync(HttpClient client, string process, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/processes/{process}/execution") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-Key", ApiKey);
        request.Headers.Add("Prefer", "respond-async");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        for (var i = 0; i < 600; i++)
        {
            var status = (string?)JsonNode.Parse(await client.GetStringAsync(response.Headers.Location))!["status"];
            if (status is "successful" or "failed" or "dismissed") return status;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{process}: the job did not end within a minute");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _data.Dispose();
    }

    /// <summary>Where the pods tell Prometheus to scrape (their prometheus.io/path annotation, the same on every role).</summary>
    private static string DeployedMetricsPath() =>
        Assert.Single(DeployFiles.Files("deploy/k8s/overlays", "*.yaml").SelectMany(DeployFiles.Yaml)
            .Where(d => d.Text("kind") == "Deployment")
            .Select(d => d.Text("spec", "template", "metadata", "annotations", "prometheus.io/path")!)
            .Distinct());

    private static IEnumerable<object?> RuleEntries(string file) =>
        Assert.Single(DeployFiles.Yaml(file)).Items("groups").SelectMany(g => g.Items("rules"));

    private static IEnumerable<string> DashboardQueries()
    {
        var dashboard = JsonNode.Parse(DeployFiles.Read(Dashboard))!;
        var panels = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray()).Select(t => (string)t!["expr"]!);
        var variables = dashboard["templating"]!["list"]!.AsArray().Where(v => (string?)v!["type"] == "query").Select(v => (string)v!["definition"]!);
        return panels.Concat(variables);
    }

    [Fact]
    public void Every_series_the_rules_and_the_dashboard_ask_for_is_one_meridian_exports()
    {
        var recorded = RuleEntries(Rules).Select(r => r.Text("record")).OfType<string>().ToHashSet();
        var queries = RuleEntries(Rules).Select(r => r.Text("expr")!).Concat(DashboardQueries()).ToList();
        Assert.Contains(queries, q => q.Contains("geospatial_request_duration_seconds_bucket", StringComparison.Ordinal));

        foreach (var query in queries)
        {
            foreach (Match selector in SelectorRegex().Matches(query))
            {
                var name = selector.Groups[1].Value;
                if (name is "by" or "without" || PromQlFunctions.Contains(name)) continue;
                Assert.True(name == "up" || recorded.Contains(name) || _exported.ContainsKey(name), $"'{name}' in '{query}' is neither exported by Meridian nor recorded by a rule");
            }
            foreach (Match rule in RecordedNameRegex().Matches(query))
                Assert.True(recorded.Contains(rule.Value), $"{rule.Value} in '{query}' is recorded by no rule");
            foreach (Match metric in MeridianMetricRegex().Matches(query))
                Assert.True(_exported.ContainsKey(metric.Value) || recorded.Contains(metric.Value), $"{metric.Value} is not exported (exported: {string.Join(", ", _exported.Keys)})");
        }
    }

    [Fact]
    public void Every_label_the_rules_and_the_dashboard_use_is_one_the_series_carry()
    {
        var labels = _exported.Where(e => e.Key.StartsWith("geospatial_", StringComparison.Ordinal)).SelectMany(e => e.Value).ToHashSet();
        var queries = RuleEntries(Rules).Select(r => r.Text("expr")!).Concat(DashboardQueries());
        foreach (var query in queries)
        {
            var used = MatcherRegex().Matches(query).Select(m => m.Groups[1].Value)
                .Concat(GroupingRegex().Matches(query).SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries)));
            Assert.All(used, label => Assert.True(labels.Contains(label) || TargetLabels.Contains(label), $"label '{label}' in '{query}' is on no series"));
        }
        // The rules group by the role: the scrape configuration must add it.
        var relabels = Assert.Single(DeployFiles.Yaml("deploy/observability/prometheus/prometheus.yml")).Items("scrape_configs")
            .Single(c => c.Text("job_name") == "meridian").Items("relabel_configs").Select(r => r.Text("target_label")).ToHashSet();
        Assert.Contains("component", relabels);
        Assert.Contains("pod", relabels);
    }

    [Fact]
    public void The_worker_counts_the_jobs_it_ends_and_times_them_by_process_and_status()
    {
        var lines = _scrape.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("geospatial_jobs_finished_total{", StringComparison.Ordinal)
            && l.Contains("process=\"buffer\"", StringComparison.Ordinal) && l.Contains("status=\"successful\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("geospatial_jobs_finished_total{", StringComparison.Ordinal)
            && l.Contains("process=\"reproject\"", StringComparison.Ordinal) && l.Contains("status=\"failed\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("geospatial_job_duration_seconds_count{", StringComparison.Ordinal)
            && l.Contains("process=\"reproject\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        // Labels stay bounded: the process and the status, never a job's id (otel_scope_name is the exporter's, the meter's name).
        Assert.Equal(["le", "process", "status"], _exported["geospatial_job_duration_seconds_bucket"].Where(l => !l.StartsWith("otel_scope_", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public void Every_alert_says_how_bad_it_is_and_what_happened()
    {
        var alerts = RuleEntries(Rules).Concat(RuleEntries("deploy/observability/prometheus/platform.rules.yml")).Where(r => r.Text("alert") is not null).ToList();
        Assert.NotEmpty(alerts);
        Assert.All(alerts, a => Assert.Contains(a.Text("labels", "severity"), new[] { "page", "warn", "info" }));
        Assert.All(alerts, a => Assert.False(string.IsNullOrWhiteSpace(a.Text("annotations", "summary"))));
        // Meridian's rules stay on Meridian's series; the engines' exporters have their own file.
        Assert.DoesNotContain(RuleEntries(Rules), r => r.Text("expr")!.Contains("rabbitmq_", StringComparison.Ordinal) || r.Text("expr")!.Contains("kube_", StringComparison.Ordinal));
    }

    [Fact]
    public void Prometheus_loads_the_rule_files_that_exist()
    {
        var config = Assert.Single(DeployFiles.Yaml("deploy/observability/prometheus/prometheus.yml"));
        Assert.All(config.Items("rule_files").Cast<string>(), f => Assert.True(File.Exists(DeployFiles.PathOf($"deploy/observability/prometheus/{f}")), f));
        Assert.Equal(DeployFiles.Files("deploy/observability/prometheus", "*.rules.yml").Select(Path.GetFileName), config.Items("rule_files").Cast<string>().Order());
        // The rules' unit tests (promtool test rules) load the same files.
        var unitTests = Assert.Single(DeployFiles.Yaml("deploy/observability/prometheus/meridian.rules.test.yml"));
        Assert.Equal(config.Items("rule_files").Cast<string>(), unitTests.Items("rule_files").Cast<string>());
    }

    private static readonly HashSet<string> PromQlFunctions =
    [
        "sum", "rate", "histogram_quantile", "topk", "label_replace", "label_values", "absent", "max", "min", "avg", "count", "increase", "irate",
    ];

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SeriesNameRegex();

    [GeneratedRegex(@"(\w+)=""")]
    private static partial Regex LabelRegex();

    /// <summary>A name directly followed by a matcher list or a range: a series selector.</summary>
    [GeneratedRegex(@"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[\{\[]")]
    private static partial Regex SelectorRegex();

    [GeneratedRegex(@"(?<![:\w])geospatial_[a-z0-9_]+(?![:\w])")]
    private static partial Regex MeridianMetricRegex();

    /// <summary>level:metric:operations, Prometheus's naming of recorded series.</summary>
    [GeneratedRegex(@"\b\w+:\w+:\w+\b")]
    private static partial Regex RecordedNameRegex();

    [GeneratedRegex(@"[\{,]\s*(\w+)\s*(?:=~|!~|!=|=)\s*""")]
    private static partial Regex MatcherRegex();

    [GeneratedRegex(@"\bby\s*\(([^)]*)\)")]
    private static partial Regex GroupingRegex();
}
