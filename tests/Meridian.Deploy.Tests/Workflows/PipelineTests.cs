namespace Meridian.Deploy.Tests.Workflows;

/// <summary>.github/workflows against what they call: .ci/run as it is, the Dockerfile, the overlay, the environments.</summary>
public sealed class PipelineTests
{
    private static object Workflow(string name) => Assert.Single(DeployFiles.Yaml($".github/workflows/{name}"))!;

    private static IEnumerable<object?> Steps(object job) => job.Items("steps");

    [Fact]
    public void The_tests_run_exactly_ci_run_as_root_on_debian_12()
    {
        var test = Workflow("ci.yml").At("jobs", "test")!;
        // scripts/test.sh installs Debian 12's packages (postgresql-15-postgis-3 exists in no other release).
        Assert.Equal("debian:12", test.Text("container"));
        Assert.Null(test.At("container", "options"));
        Assert.Contains("postgresql-15-postgis-3", DeployFiles.Read("scripts/test.sh"), StringComparison.Ordinal);
        var run = Assert.Single(Steps(test), s => s.Text("run")?.Contains(".ci/run", StringComparison.Ordinal) == true);
        Assert.Equal(".ci/run", run.Text("run"));
        Assert.True(File.Exists(DeployFiles.PathOf(".ci/run")));
    }

    [Fact]
    public void Main_builds_the_image_from_the_dockerfile_then_deploys_to_staging_then_waits_for_production_approval()
    {
        var jobs = Workflow("ci.yml").At("jobs")!;
        var image = jobs.At("image")!;
        Assert.Equal("test", image.Text("needs"));
        Assert.Contains("refs/heads/main", image.Text("if"), StringComparison.Ordinal);
        var build = Assert.Single(Steps(image), s => s.Text("uses")?.StartsWith("docker/build-push-action", StringComparison.Ordinal) == true);
        Assert.True(File.Exists(DeployFiles.PathOf(build.Text("with", "file")!)));
        Assert.Equal(".", build.Text("with", "context"));

        Assert.Equal("staging", jobs.Text("staging", "with", "environment"));
        Assert.Equal("production", jobs.Text("production", "with", "environment"));
        Assert.Contains("staging", jobs.Items("production", "needs").Cast<string>());
        Assert.All(new[] { "staging", "production" }, j => Assert.Equal("./.github/workflows/deploy.yml", jobs.Text(j, "uses")));

        var deploy = Workflow("deploy.yml").At("jobs", "deploy")!;
        Assert.Equal("${{ inputs.environment }}", deploy.Text("environment"));
        var apply = Assert.Single(Steps(deploy), s => s.Text("run")?.Contains("kubectl apply -k", StringComparison.Ordinal) == true).Text("run")!;
        Assert.Contains("- ../overlays/split", apply, StringComparison.Ordinal);
        Assert.True(File.Exists(DeployFiles.PathOf("deploy/k8s/overlays/split/kustomization.yaml")));
        // The image the overlay names is the one the release replaces.
        Assert.Contains("- name: meridian", apply, StringComparison.Ordinal);
        Assert.Equal("meridian", Assert.Single(Assert.Single(DeployFiles.Yaml("deploy/k8s/base/kustomization.yaml")).Items("images")).Text("name"));
    }
}
