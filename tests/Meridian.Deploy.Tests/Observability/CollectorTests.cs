using Meridian.Deploy.Tests.K8s;

namespace Meridian.Deploy.Tests.Observability;

/// <summary>deploy/observability/otel/collector.yaml: a configuration the collector accepts, on the port Meridian sends to.</summary>
public sealed class CollectorTests
{
    private static object Collector() => Assert.Single(DeployFiles.Yaml("deploy/observability/otel/collector.yaml"))!;

    [Fact]
    public void Every_pipeline_uses_components_the_configuration_defines()
    {
        var collector = Collector();
        var pipelines = collector.Entries("service", "pipelines").ToList();
        Assert.Contains(pipelines, p => p.Key == "traces");
        foreach (var (name, pipeline) in pipelines)
        {
            foreach (var kind in new[] { "receivers", "processors", "exporters" })
            {
                var defined = collector.Entries(kind).Select(e => e.Key).ToHashSet();
                Assert.All(pipeline.Items(kind).Cast<string>(), c => Assert.True(defined.Contains(c), $"pipeline {name} uses {kind} {c}, which is not defined"));
            }
        }
        var extensions = collector.Entries("extensions").Select(e => e.Key).ToHashSet();
        Assert.All(collector.Items("service", "extensions").Cast<string>(), e => Assert.Contains(e, extensions));
    }

    [Fact]
    public void It_receives_otlp_grpc_where_the_split_deployment_sends_it()
    {
        var split = Kustomization.Load("deploy/k8s/overlays/split");
        var endpoint = new Uri(split.ConfigMaps["meridian"].Data["MERIDIAN__Telemetry__OtlpEndpoint"]);
        var grpc = Collector().Text("receivers", "otlp", "protocols", "grpc", "endpoint")!;
        Assert.Equal(endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), grpc[(grpc.LastIndexOf(':') + 1)..]);
        // Meridian exports over gRPC (ServiceDefaults: OtlpExportProtocol.Grpc), so the endpoint is a plain http(s) URL.
        Assert.Equal("http", endpoint.Scheme);
        // The network policy lets the pods reach it.
        var policy = Assert.Single(split.OfKind("NetworkPolicy"), p => p.Name == "allow-otlp-export");
        Assert.Contains(policy.Document.Items("spec", "egress").SelectMany(e => e.Items("ports")), p => p.Text("port") == endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith($".{policy.Document.Items("spec", "egress").Single().Items("to").Single().Text("namespaceSelector", "matchLabels", "kubernetes.io/metadata.name")}.svc.cluster.local", endpoint.Host, StringComparison.Ordinal);
    }
}
