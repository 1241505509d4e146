using System.Text.Json.Nodes;
using Meridian.Composition;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Deploy.Tests.K8s;

/// <summary>deploy/k8s against the code: what the pods run is what Meridian accepts, serves and needs.</summary>
public sealed class KubernetesManifestsTests
{
    /// <summary>The overlays one applies: deploy/k8s/overlays/NAME (the kustomizations below them are their parts).</summary>
    private static readonly string[] OverlayDirectories =
        DeployFiles.Files("deploy/k8s/overlays", "kustomization.yaml").Select(f => f[..f.LastIndexOf('/')])
            .Where(d => d.Count(c => c == '/') == 3).ToArray();

    public static TheoryData<string> Overlays => new(OverlayDirectories);

    private static Kustomization Split => Kustomization.Load("deploy/k8s/overlays/split");

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_file_a_kustomization_names_exists(string overlay)
    {
        var kustomization = Kustomization.Load(overlay);

        Assert.All(kustomization.ReferencedFiles, f => Assert.True(File.Exists(DeployFiles.PathOf(f)) || Directory.Exists(DeployFiles.PathOf(f)), f));
        Assert.NotEmpty(kustomization.OfKind("Deployment"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_container_starts_with_the_settings_it_is_given(string overlay)
    {
        foreach (var pod in Pod.Of(Kustomization.Load(overlay)))
        {
            var environment = pod.Environment();
            // The image's own environment comes first (deploy/docker/Dockerfile ENV).
            foreach (var (name, value) in DockerfileTests.Environment()) environment.TryAdd(name, value);

            await StartupValidation.BuildAsync($"{overlay}: Deployment {pod.Deployment.Name}", environment, pod.Args, pod.MountedFile);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_pod_describes_every_role_of_the_deployment_in_its_landing_page_conformance_and_api(string overlay) =>
        StartupValidation.AssertEveryProcessDescribesTheDeployment(Pod.Of(Kustomization.Load(overlay))
            .Select(p => ($"{overlay}: Deployment {p.Deployment.Name}", (IReadOnlyDictionary<string, string>)p.Environment(), p.Args)));

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_pod_meets_the_restricted_pod_security_standard(string overlay)
    {
        foreach (var pod in Pod.Of(Kustomization.Load(overlay)))
        {
            var name = pod.Deployment.Name;
            Assert.Equal("false", pod.Spec.Text("automountServiceAccountToken"));
            Assert.Equal("meridian", pod.Spec.Text("serviceAccountName"));
            Assert.Equal("true", pod.Spec.Text("securityContext", "runAsNonRoot"));
            Assert.Equal(DockerfileTests.User(), pod.Spec.Text("securityContext", "runAsUser"));
            Assert.Equal("RuntimeDefault", pod.Spec.Text("securityContext", "seccompProfile", "type"));
            foreach (var shared in new[] { "hostNetwork", "hostPID", "hostIPC" }) Assert.Null(pod.Spec.At(shared));

            var container = pod.Container;
            Assert.Equal("meridian", container.Text("image"));
            Assert.Equal("true", container.Text("securityContext", "runAsNonRoot"));
            Assert.Equal("false", container.Text("securityContext", "allowPrivilegeEscalation"));
            Assert.Equal("true", container.Text("securityContext", "readOnlyRootFilesystem"));
            Assert.Equal(["ALL"], container.Items("securityContext", "capabilities", "drop").Cast<string>());
            Assert.Null(container.At("securityContext", "capabilities", "add"));
            Assert.Null(container.At("securityContext", "privileged"));
            Assert.Equal("RuntimeDefault", container.Text("securityContext", "seccompProfile", "type"));

            // A read-only root: what Meridian writes goes to volumes (temporary files, the ingest spool, the embedded stores).
            var mounts = container.Items("volumeMounts").Select(m => m.Text("mountPath")).ToList();
            Assert.Contains("/tmp", mounts);
            Assert.Contains(DockerfileTests.Environment()["MERIDIAN__Data"], mounts);
            Assert.All(pod.Spec.Items("volumes"), v => Assert.Null(v.At("hostPath")));
            Assert.NotNull(container.At("resources", "requests", "cpu"));
            Assert.NotNull(container.At("resources", "requests", "memory"));
            Assert.True(container.At("resources", "limits", "memory") is not null, $"{name} has no memory limit");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Probes_ask_for_health_and_readiness_on_the_port_meridian_listens_on(string overlay)
    {
        foreach (var pod in Pod.Of(Kustomization.Load(overlay)))
        {
            var container = pod.Container;
            var port = Assert.Single(container.Items("ports"));
            Assert.Equal(StartupValidation.PortOf(pod.Args).ToString(System.Globalization.CultureInfo.InvariantCulture), port.Text("containerPort"));
            Assert.Equal(DockerfileTests.ExposedPort(), port.Text("containerPort"));

            foreach (var (probe, path) in new[] { ("startupProbe", "/health"), ("livenessProbe", "/health"), ("readinessProbe", "/ready") })
            {
                Assert.Equal(path, container.Text(probe, "httpGet", "path"));
                Assert.Equal(port.Text("name"), container.Text(probe, "httpGet", "port"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Meridian_is_given_time_to_drain_before_it_is_killed(string overlay)
    {
        foreach (var pod in Pod.Of(Kustomization.Load(overlay)))
        {
            var preStop = int.Parse(pod.Container.Text("lifecycle", "preStop", "sleep", "seconds")!, System.Globalization.CultureInfo.InvariantCulture);
            var grace = int.Parse(pod.Spec.Text("terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(grace >= preStop + MeridianDrainSeconds + 5, $"{pod.Deployment.Name}: {grace} s < {preStop} s preStop + {MeridianDrainSeconds} s drain + 5 s");
        }
    }

    /// <summary>What Meridian waits for requests in flight after SIGTERM (the host's shutdown timeout).</summary>
    private static int MeridianDrainSeconds
    {
        get
        {
            using var data = new TempDirectory();
            var settings = MeridianSettings.Load(null, new Dictionary<string, string?> { ["Meridian:Data"] = data.Path });
            using var app = MeridianHost.Build(settings);
            var host = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.Extensions.Hosting.HostOptions>>().Value;
            return (int)host.ShutdownTimeout.TotalSeconds;
        }
    }

    [Fact]
    public void Every_role_runs_in_a_deployment_of_its_own()
    {
        var pods = Pod.Of(Split).ToList();
        Assert.All(pods, p => Assert.Equal([p.Component], p.Roles));
        Assert.All(pods, p => Assert.True(StartupValidation.IsRole(p.Component), $"{p.Component} is not a role of meridian serve"));
        var deployed = pods.Select(p => p.Component).ToHashSet();
        Assert.All(Roles.Names, role => Assert.Contains(role, deployed));
        Assert.Equal(deployed.Count, pods.Count);
    }

    [Fact]
    public void Each_role_names_its_deployment_and_its_telemetry_after_itself()
    {
        // What each roles/NAME/kustomization.yaml sets on the shared template (role/role.yaml), beside --roles.
        foreach (var pod in Pod.Of(Split))
        {
            Assert.Equal(pod.Component, pod.Deployment.Name);
            Assert.Equal($"meridian-{pod.Component}", pod.Environment()["MERIDIAN__Telemetry__ServiceName"]);
        }
    }

    [Fact]
    public void The_gateway_routes_to_the_service_of_each_role_that_serves_requests()
    {
        var split = Split;
        var gatewayJson = JsonNode.Parse(File.ReadAllText(new Pod(split, split.OfKind("Deployment").Single(d => d.Name == "gateway")).MountedFile("/etc/meridian/gateway.json")))!;
        var clusters = gatewayJson["Meridian"]!["Gateway"]!["Clusters"]!.AsObject();
        var services = split.OfKind("Service").ToDictionary(s => s.Name);
        foreach (var (cluster, settings) in clusters)
        {
            var destination = new Uri((string)Assert.Single(settings!["Destinations"]!.AsArray())!);
            Assert.True(services.TryGetValue(destination.Host, out var service), $"cluster {cluster}: no Service {destination.Host}");
            Assert.Equal(destination.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(service.Document.Items("spec", "ports")).Text("port"));
            Assert.Equal(cluster, service.Document.Text("spec", "selector", "app.kubernetes.io/component"));
        }
        // Every role with endpoints is reachable; the worker has none (it runs jobs), the gateway is the one routing.
        var routed = Pod.Of(split).Select(p => p.Component).Where(c => c is not ("gateway" or "worker"));
        Assert.All(routed, role => Assert.Contains(role, clusters.Select(c => c.Key)));
    }

    [Fact]
    public void The_roles_that_take_load_are_autoscaled_and_every_role_has_a_disruption_budget()
    {
        var split = Split;
        var deployments = split.OfKind("Deployment").ToDictionary(d => d.Name);
        var autoscaled = split.OfKind("HorizontalPodAutoscaler").ToList();
        Assert.Equal(["features", "gateway", "tiles", "worker"], autoscaled.Select(h => h.Document.Text("spec", "scaleTargetRef", "name")).Order());
        foreach (var hpa in autoscaled)
        {
            Assert.Equal("autoscaling/v2", hpa.Document.Text("apiVersion"));
            var target = deployments[hpa.Document.Text("spec", "scaleTargetRef", "name")!];
            // The autoscaler owns the count: a replicas field would reset it at every apply.
            Assert.Null(target.Document.At("spec", "replicas"));
            Assert.True(int.Parse(hpa.Document.Text("spec", "minReplicas")!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
        }
        var budgets = split.OfKind("PodDisruptionBudget").Select(p => p.Document.Text("spec", "selector", "matchLabels", "app.kubernetes.io/component")).ToHashSet();
        Assert.All(deployments.Values, d => Assert.Contains(d.Document.Text("spec", "template", "metadata", "labels", "app.kubernetes.io/component"), budgets));
        Assert.All(split.OfKind("PodDisruptionBudget"), p => Assert.NotNull(p.Document.At("spec", "maxUnavailable")));
        // One notifications process: a rollout replaces it rather than running two at once.
        Assert.Equal("1", deployments["notifications"].Document.Text("spec", "replicas"));
        Assert.Equal("Recreate", deployments["notifications"].Document.Text("spec", "strategy", "type"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Only_the_front_pod_takes_traffic_from_outside_and_everything_else_is_denied(string overlay)
    {
        var kustomization = Kustomization.Load(overlay);
        var policies = kustomization.OfKind("NetworkPolicy").ToList();
        var deny = Assert.Single(policies, p => p.Name == "default-deny");
        Assert.Empty(deny.Document.Entries("spec", "podSelector"));
        Assert.Equal(["Egress", "Ingress"], deny.Document.Items("spec", "policyTypes").Cast<string>().Order());
        Assert.Empty(deny.Document.Items("spec", "ingress"));
        Assert.Empty(deny.Document.Items("spec", "egress"));
        Assert.Contains(policies, p => p.Document.Items("spec", "egress").Any(e => e.Items("ports").Any(port => port.Text("port") == "53")));

        // The pods a rule without sources (anyone) admits: the gateway in a split deployment, the one pod otherwise.
        var front = overlay.EndsWith("split", StringComparison.Ordinal) ? "gateway" : "all";
        foreach (var policy in policies)
        {
            foreach (var rule in policy.Document.Items("spec", "ingress"))
            {
                if (rule.Items("from").Count == 0)
                {
                    Assert.Equal(front, policy.Document.Text("spec", "podSelector", "matchLabels", "app.kubernetes.io/component"));
                    continue;
                }
                foreach (var source in rule.Items("from"))
                {
                    var fromGateway = source.Text("podSelector", "matchLabels", "app.kubernetes.io/component") == "gateway";
                    var fromMonitoring = source.Text("namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") == "monitoring";
                    Assert.True(fromGateway || fromMonitoring, $"{policy.Name} admits traffic from something other than the gateway or monitoring");
                }
            }
        }
    }

    [Fact]
    public void Secrets_are_referenced_and_documented_but_never_committed()
    {
        foreach (var file in DeployFiles.Files("deploy", "*.yaml").Concat(DeployFiles.Files("deploy", "*.yml")))
            Assert.All(DeployFiles.Yaml(file), d => Assert.NotEqual("Secret", d.Text("kind")));
        foreach (var example in DeployFiles.Files("deploy/k8s", "*.secret.example"))
        {
            Assert.All(DeployFiles.EnvFile(example), e => Assert.Contains("CHANGE_ME", e.Value, StringComparison.Ordinal));
        }
        Assert.Contains("deploy/k8s/overlays/*/*.secret", File.ReadLines(DeployFiles.PathOf(".gitignore")));
    }

    [Fact]
    public void The_namespace_enforces_the_restricted_standard_and_every_overlay_deploys_into_it()
    {
        var ns = Assert.Single(DeployFiles.Yaml("deploy/k8s/namespace.yaml"));
        Assert.Equal("Namespace", ns.Text("kind"));
        Assert.Equal("restricted", ns.Text("metadata", "labels", "pod-security.kubernetes.io/enforce"));
        foreach (var overlay in OverlayDirectories) Assert.Equal(ns.Text("metadata", "name"), Kustomization.Load(overlay).Namespace);
    }
}
