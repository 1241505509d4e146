using System.Text.RegularExpressions;
using Meridian.Deploy.Tests.K8s;

namespace Meridian.Deploy.Tests.Terraform;

/// <summary>
/// deploy/terraform/aws without Terraform (Debian does not package it): every name referenced is declared, every
/// variable declared is used, and what the Kubernetes side assumes of it (the VPC range, the Secrets' keys, the
/// service account IRSA trusts) is what it makes.
/// </summary>
public sealed partial class TerraformTests
{
    private const string Directory = "deploy/terraform/aws";

    /// <summary>Every .tf file with comments removed (# and // lines; Terraform's heredocs are not used here).</summary>
    private static string Source() => string.Join('\n', DeployFiles.Files(Directory, "*.tf")
        .SelectMany(f => DeployFiles.Read(f).Split('\n'))
        .Select(l => CommentRegex().Replace(l, "")));

    private static HashSet<string> Declared(Regex declaration, string source) =>
        declaration.Matches(source).Select(m => string.Join('.', m.Groups.Cast<Group>().Skip(1).Select(g => g.Value))).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Every_variable_local_resource_and_data_source_referenced_is_declared()
    {
        var source = Source();
        var variables = Declared(VariableRegex(), source);
        var resources = Declared(ResourceRegex(), source);
        var data = Declared(DataRegex(), source);
        var locals = LocalsBlockRegex().Matches(source).SelectMany(b => LocalNameRegex().Matches(b.Groups[1].Value)).Select(m => m.Groups[1].Value).ToHashSet();
        var providers = ProviderRegex().Matches(source).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.All(VarReferenceRegex().Matches(source).Select(m => m.Groups[1].Value), v => Assert.Contains(v, variables));
        Assert.All(LocalReferenceRegex().Matches(source).Select(m => m.Groups[1].Value), l => Assert.Contains(l, locals));
        Assert.All(DataReferenceRegex().Matches(source).Select(m => $"{m.Groups[1].Value}.{m.Groups[2].Value}"), d => Assert.Contains(d, data));
        var resourceReferences = ResourceReferenceRegex().Matches(source)
            .Where(m => m.Index == 0 || source[m.Index - 1] != '.') // not data.TYPE.NAME, not a longer dotted name
            .Select(m => $"{m.Groups[1].Value}.{m.Groups[2].Value}")
            .ToList();
        Assert.NotEmpty(resourceReferences);
        Assert.All(resourceReferences, r => Assert.Contains(r, resources));
        // Every resource and data type comes from a provider the configuration requires.
        Assert.All(resources.Concat(data), r => Assert.Contains(r[..r.IndexOf('_')], providers));
    }

    [Fact]
    public void Every_variable_declared_is_used()
    {
        var source = Source();
        var used = VarReferenceRegex().Matches(source).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.All(Declared(VariableRegex(), source), v => Assert.Contains(v, used));
    }

    [Fact]
    public void The_secrets_it_writes_have_the_keys_of_the_kubernetes_secrets()
    {
        var source = Source();
        var written = SecretVersionRegex().Matches(source).ToDictionary(
            m => m.Groups[1].Value,
            m => JsonKeyRegex().Matches(m.Groups[2].Value).Select(k => k.Groups[1].Value).Order().ToList());
        var pods = Pod.Of(Kustomization.Load("deploy/k8s/overlays/split")).ToList();
        // meridian: every role but the gateway; gateway: meridian-gateway.
        Assert.Equal(Keys("meridian"), written["meridian"]);
        Assert.Equal(Keys("meridian-gateway"), written["gateway"]);
        Assert.Contains(pods, p => p.Container.Items("envFrom").Any(e => e.Text("secretRef", "name") == "meridian-gateway"));

        static List<string> Keys(string secret) =>
            DeployFiles.EnvFile($"deploy/k8s/overlays/split/{secret}.secret.example").Select(e => e.Key).Order().ToList();
    }

    [Fact]
    public void The_kubernetes_side_names_what_terraform_makes()
    {
        var source = Source();
        var vpc = VariableDefaultRegex("vpc_cidr").Match(source).Groups[1].Value;
        var policies = Kustomization.Load("deploy/k8s/overlays/split").OfKind("NetworkPolicy").ToList();
        var blocks = policies.SelectMany(p => p.Document.Items("spec", "egress")).SelectMany(e => e.Items("to")).Select(t => t.Text("ipBlock", "cidr"))
            .Where(c => c is not null && c != "0.0.0.0/0").Distinct().ToList();
        Assert.Equal([vpc], blocks);

        var serviceAccount = Assert.Single(DeployFiles.Yaml("deploy/k8s/base/serviceaccount.yaml"));
        Assert.Equal(serviceAccount.Text("metadata", "name"), VariableDefaultRegex("kubernetes_service_account").Match(source).Groups[1].Value);
        var ns = Assert.Single(DeployFiles.Yaml("deploy/k8s/namespace.yaml"));
        Assert.Equal(ns.Text("metadata", "name"), VariableDefaultRegex("kubernetes_namespace").Match(source).Groups[1].Value);
        // The dead-letter alarm watches the queue the RabbitMQ bus dead-letters jobs into.
        Assert.Contains($"Queue = \"{Meridian.Processing.Jobs.JobQueue.Queue}.dead\"", source, StringComparison.Ordinal);
    }

    private static Regex VariableDefaultRegex(string name) =>
        new($"variable \"{name}\" \\{{[^}}]*?default\\s*=\\s*\"([^\"]+)\"", RegexOptions.Singleline);

    [GeneratedRegex(@"^\s*(#|//).*$")]
    private static partial Regex CommentRegex();

    [GeneratedRegex(@"^variable ""(\w+)""", RegexOptions.Multiline)]
    private static partial Regex VariableRegex();

    [GeneratedRegex(@"^resource ""(\w+)"" ""(\w+)""", RegexOptions.Multiline)]
    private static partial Regex ResourceRegex();

    [GeneratedRegex(@"^data ""(\w+)"" ""(\w+)""", RegexOptions.Multiline)]
    private static partial Regex DataRegex();

    [GeneratedRegex(@"^locals \{(.*?)^\}", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex LocalsBlockRegex();

    [GeneratedRegex(@"^  (\w+)\s*=", RegexOptions.Multiline)]
    private static partial Regex LocalNameRegex();

    [GeneratedRegex(@"^\s+(\w+) = \{\s*$\s*source\s*=", RegexOptions.Multiline)]
    private static partial Regex ProviderRegex();

    [GeneratedRegex(@"\bvar\.(\w+)")]
    private static partial Regex VarReferenceRegex();

    [GeneratedRegex(@"\blocal\.(\w+)")]
    private static partial Regex LocalReferenceRegex();

    [GeneratedRegex(@"\bdata\.(\w+)\.(\w+)")]
    private static partial Regex DataReferenceRegex();

    [GeneratedRegex(@"\b((?:aws|random|tls)_\w+)\.(\w+)")]
    private static partial Regex ResourceReferenceRegex();

    [GeneratedRegex(@"resource ""aws_secretsmanager_secret_version"" ""(\w+)"" \{.*?jsonencode\(\{(.*?)\}\)", RegexOptions.Singleline)]
    private static partial Regex SecretVersionRegex();

    [GeneratedRegex(@"^\s*(MERIDIAN__\w+)\s*=", RegexOptions.Multiline)]
    private static partial Regex JsonKeyRegex();
}
