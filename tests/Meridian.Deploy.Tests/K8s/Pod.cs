namespace Meridian.Deploy.Tests.K8s;

/// <summary>A Deployment's pod and its Meridian container, with the environment it would see.</summary>
internal sealed record Pod(Kustomization Overlay, Manifest Deployment)
{
    public object? Spec => Deployment.Document.At("spec", "template", "spec");

    public object? Container => Assert.Single(Spec.Items("containers"));

    public IReadOnlyList<string> Args => Container.Items("args").Cast<string>().ToList();

    public IReadOnlyList<string> Roles => StartupValidation.RolesOf(Args);

    public string Component => Deployment.Document.Text("spec", "template", "metadata", "labels", "app.kubernetes.io/component")!;

    public static IEnumerable<Pod> Of(Kustomization overlay) => overlay.OfKind("Deployment").Select(d => new Pod(overlay, d));

    /// <summary>
    /// The environment: ConfigMaps and Secrets through envFrom (a Secret's keys from the overlay's NAME.secret.example,
    /// which documents it), then the literal env entries, which win as in Kubernetes.
    /// </summary>
    public Dictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in Container.Items("envFrom"))
        {
            if (source.Text("configMapRef", "name") is { } configMap)
            {
                Assert.True(Overlay.ConfigMaps.TryGetValue(configMap, out var map), $"{Deployment.Name}: no ConfigMap {configMap} is generated");
                foreach (var (key, value) in map.Data) environment[key] = value;
            }
            else if (source.Text("secretRef", "name") is { } secret)
            {
                var example = $"{Overlay.Directory}/{secret}.secret.example";
                if (source.Text("secretRef", "optional") == "true" && !File.Exists(DeployFiles.PathOf(example))) continue;
                foreach (var (key, value) in DeployFiles.EnvFile(example)) environment[key] = value;
            }
            else
            {
                Assert.Fail($"{Deployment.Name}: envFrom other than configMapRef or secretRef");
            }
        }
        foreach (var variable in Container.Items("env"))
        {
            Assert.Null(variable.At("valueFrom")); // secrets come through envFrom, where their example documents them
            environment[variable.Text("name")!] = variable.Text("value")!;
        }
        return environment;
    }

    /// <summary>The repository file a path in the container comes from: a ConfigMap volume's generated file.</summary>
    public string MountedFile(string pathInContainer)
    {
        foreach (var mount in Container.Items("volumeMounts"))
        {
            var at = mount.Text("mountPath")!;
            if (!pathInContainer.StartsWith(at + "/", StringComparison.Ordinal)) continue;
            var volume = Spec.Items("volumes").Single(v => v.Text("name") == mount.Text("name"));
            var configMap = volume.Text("configMap", "name") ?? throw new InvalidOperationException($"{at} is not a ConfigMap volume");
            return DeployFiles.PathOf(Overlay.ConfigMaps[configMap].Files[pathInContainer[(at.Length + 1)..]]);
        }
        throw new InvalidOperationException($"{Deployment.Name}: nothing is mounted at {pathInContainer}");
    }
}
