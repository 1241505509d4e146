namespace Meridian.Deploy.Tests.K8s;

/// <summary>The kustomize reading the manifest tests rely on: patches, labels and renames as kustomize applies them.</summary>
public sealed class KustomizationTests : IDisposable
{
    private const string Role = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: role
          labels: { app: meridian }
        spec:
          selector:
            matchLabels: { app: meridian }
          template:
            metadata:
              labels: { app: meridian }
            spec:
              topologySpreadConstraints:
                - topologyKey: zone
                  labelSelector:
                    matchLabels: { app: meridian }
              containers:
                - name: meridian
                  args: ["serve", "--roles", "role"]
                  env:
                    - { name: A, value: "1" }
                    - { name: B, value: "2" }
                  resources:
                    requests: { cpu: 500m, memory: 512Mi }
                - name: sidecar
                  args: ["run"]
              volumes:
                - name: tmp
                  emptyDir: { sizeLimit: 1Gi }
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: role
        spec:
          selector: { app: meridian }
        """;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private Kustomization Render(string kustomization)
    {
        Directory.CreateDirectory(Path.Combine(_directory.Path, "role"));
        File.WriteAllText(Path.Combine(_directory.Path, "role", "kustomization.yaml"), "resources: [role.yaml]\n");
        File.WriteAllText(Path.Combine(_directory.Path, "role", "role.yaml"), Role);
        Directory.CreateDirectory(Path.Combine(_directory.Path, "one"));
        File.WriteAllText(Path.Combine(_directory.Path, "one", "kustomization.yaml"), "resources: [../role]\n" + kustomization);
        return Kustomization.Load(_directory.Path + "/one");
    }

    private static object? Container(Kustomization k, string name) =>
        k.OfKind("Deployment").Single().Document.Items("spec", "template", "spec", "containers").Single(c => c.Text("name") == name);

    [Fact]
    public void A_strategic_merge_patch_changes_one_field_of_one_container_and_keeps_the_rest()
    {
        var k = Render("""
            patches:
              - target: { kind: Deployment }
                patch: |-
                  apiVersion: apps/v1
                  kind: Deployment
                  metadata: { name: ignored }
                  spec:
                    template:
                      spec:
                        containers:
                          - name: meridian
                            resources:
                              requests: { cpu: 250m }
                            env:
                              - { name: B, $patch: delete }
                              - { name: C, value: "3" }
                        volumes:
                          - name: tmp
                            emptyDir: { sizeLimit: 4Gi }
                          - name: config
                            configMap: { name: gateway }
            """);

        var meridian = Container(k, "meridian");
        Assert.Equal("250m", meridian.Text("resources", "requests", "cpu"));
        Assert.Equal("512Mi", meridian.Text("resources", "requests", "memory"));
        Assert.Equal(["serve", "--roles", "role"], meridian.Items("args").Cast<string>());
        Assert.Equal(["A", "C"], meridian.Items("env").Select(e => e.Text("name")));
        Assert.Equal(["run"], Container(k, "sidecar").Items("args").Cast<string>());
        var volumes = k.OfKind("Deployment").Single().Document.Items("spec", "template", "spec", "volumes");
        Assert.Equal(["tmp", "config"], volumes.Select(v => v.Text("name")));
        Assert.Equal("4Gi", volumes[0].Text("emptyDir", "sizeLimit"));
        Assert.Equal("role", k.OfKind("Deployment").Single().Name); // a strategic-merge patch does not rename
    }

    [Fact]
    public void A_json_patch_renames_every_object_it_targets_and_edits_lists_by_index()
    {
        var k = Render("""
            patches:
              - target: { name: role }
                patch: |-
                  - { op: replace, path: /metadata/name, value: features }
              - target: { kind: Deployment, name: features }
                patch: |-
                  - { op: replace, path: /spec/template/spec/containers/0/args/2, value: features }
                  - { op: add, path: /spec/template/spec/containers/0/args/-, value: "--config" }
                  - { op: remove, path: /spec/template/spec/containers/1 }
            """);

        Assert.Equal(["features", "features"], k.Manifests.Select(m => m.Name));
        Assert.All(k.Manifests, m => Assert.Equal("role", m.OriginalName));
        Assert.Equal(["serve", "--roles", "features", "--config"], Container(k, "meridian").Items("args").Cast<string>());
        Assert.Single(k.OfKind("Deployment").Single().Document.Items("spec", "template", "spec", "containers"));
    }

    [Fact]
    public void Labels_with_selectors_reach_the_selectors_the_pod_template_and_topology_spread_but_labels_without_only_metadata()
    {
        var k = Render("""
            labels:
              - pairs: { component: features }
                includeSelectors: true
              - pairs: { part-of: meridian }
            """);

        var deployment = k.OfKind("Deployment").Single().Document;
        foreach (var path in new[] { new[] { "metadata", "labels" }, ["spec", "selector", "matchLabels"], ["spec", "template", "metadata", "labels"] })
            Assert.Equal("features", deployment.Text([.. path, "component"]));
        var spread = Assert.Single(deployment.Items("spec", "template", "spec", "topologySpreadConstraints"));
        Assert.Equal("features", spread.Text("labelSelector", "matchLabels", "component"));
        var service = k.OfKind("Service").Single().Document;
        Assert.Equal("features", service.Text("spec", "selector", "component"));
        Assert.Equal("features", service.Text("metadata", "labels", "component"));

        Assert.Equal("meridian", deployment.Text("metadata", "labels", "part-of"));
        Assert.Null(deployment.Text("spec", "selector", "matchLabels", "part-of"));
        Assert.Null(deployment.Text("spec", "template", "metadata", "labels", "part-of"));
        Assert.Null(service.Text("spec", "selector", "part-of"));
    }

    [Fact]
    public void A_delete_patch_removes_the_object()
    {
        var k = Render("""
            patches:
              - target: { kind: Service }
                patch: |-
                  $patch: delete
                  apiVersion: v1
                  kind: Service
                  metadata: { name: role }
            """);

        Assert.Empty(k.OfKind("Service"));
        Assert.Single(k.OfKind("Deployment"));
    }

    [Theory]
    [InlineData("patches:\n  - target: { kind: Deployment }\n    patch: '[{\"op\": \"move\", \"from\": \"/spec\", \"path\": \"/x\"}]'\n", "move")]
    [InlineData("patches:\n  - target: { kind: Deployment }\n    patch: '[{\"op\": \"replace\", \"path\": \"/spec/nothing\", \"value\": 1}]'\n", "no such member")]
    [InlineData("patches:\n  - target: { kind: Deployment }\n    patch: '[{\"op\": \"replace\", \"path\": \"/spec/template/spec/containers/01\", \"value\": 1}]'\n", "not an index")]
    [InlineData("patches:\n  - target: { kind: Deployment }\n    patch: '[{\"op\": \"add\", \"path\": \"/spec/template/spec/containers/9\", \"value\": 1}]'\n", "not an index")]
    [InlineData("patches:\n  - target: { kind: StatefulSet }\n    patch: '[{\"op\": \"remove\", \"path\": \"/spec\"}]'\n", "selects nothing")]
    [InlineData("patches:\n  - target: { kind: Deployment, labelSelector: a=b }\n    patch: '[]'\n", "labelSelector")]
    [InlineData("patches:\n  - patch: '[]'\n", "without a target")]
    [InlineData("patches:\n  - target: { kind: Deployment }\n    patch: |-\n      kind: Deployment\n      metadata: { name: x }\n      spec: { template: { spec: { topologySpreadConstraints: [{ topologyKey: a }] } } }\n", "topologySpreadConstraints")]
    [InlineData("patches:\n  - target: { kind: Deployment }\n    patch: |-\n      kind: Deployment\n      metadata: { name: x }\n      spec: { $patch: replace }\n", "$patch: delete")]
    [InlineData("labels:\n  - pairs: { a: b }\n    includeTemplates: true\n", "includeTemplates")]
    [InlineData("nameSuffix: -x\n", "nameSuffix")]
    public void What_it_does_not_read_or_cannot_apply_fails_naming_it(string kustomization, string named)
    {
        var failure = Assert.ThrowsAny<Exception>(() => Render(kustomization));
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }
}
