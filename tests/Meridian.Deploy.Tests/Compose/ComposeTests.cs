using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Meridian.Composition;

namespace Meridian.Deploy.Tests.Compose;

/// <summary>deploy/compose/compose.yaml against the code and the image: every Meridian service starts with its settings.</summary>
public sealed partial class ComposeTests
{
    private const string Directory = "deploy/compose";

    /// <summary>The file with its ${VARIABLES} set as docker compose sets them from .env (a value for each one .env.example names).</summary>
    private static object Compose()
    {
        var declared = DeployFiles.Lines($"{Directory}/.env.example").Where(l => l.Contains('=', StringComparison.Ordinal)).Select(l => l[..l.IndexOf('=')]).ToHashSet();
        var text = VariableRegex().Replace(DeployFiles.Read($"{Directory}/compose.yaml"), m =>
        {
            var name = m.Groups[1].Value;
            if (m.Groups[2].Value == ":-") return m.Groups[3].Value; // a default: what runs when .env says nothing
            Assert.True(declared.Contains(name), $"compose.yaml uses ${{{name}}}, which .env.example does not name");
            return $"test-{name.ToLowerInvariant()}-0123456789";
        }).Replace("$$", "$", StringComparison.Ordinal);
        return Assert.Single(DeployFiles.YamlDocuments(text))!;
    }

    private static IEnumerable<(string Name, object? Service)> Services(object compose) =>
        compose.Entries("services").Select(e => (e.Key, e.Value));

    private static bool IsMeridian(object? service) => service.Text("build", "dockerfile") == "deploy/docker/Dockerfile";

    private static IReadOnlyList<string> Profiles(object? service) => service.Items("profiles").Cast<string>().ToList();

    [Fact]
    public async Task Every_meridian_service_starts_with_the_settings_it_is_given()
    {
        var meridians = Services(Compose()).Where(s => IsMeridian(s.Service)).ToList();
        Assert.NotEmpty(meridians);
        foreach (var (name, service) in meridians)
        {
            var environment = service.Entries("environment").ToDictionary(e => e.Key, e => (string)e.Value!, StringComparer.Ordinal);
            foreach (var (variable, value) in DockerfileTests.Environment()) environment.TryAdd(variable, value);
            var command = service.Items("command").Cast<string>().ToList();

            await StartupValidation.BuildAsync($"compose service {name}", environment, command, inContainer => MountedFile(service, inContainer));
        }
    }

    [Theory]
    [InlineData("single")]
    [InlineData("split")]
    public void Every_meridian_service_describes_every_role_of_its_profile_in_its_landing_page_conformance_and_api(string profile) =>
        StartupValidation.AssertEveryProcessDescribesTheDeployment(Services(Compose()).Where(s => IsMeridian(s.Service) && Profiles(s.Service).Contains(profile))
            .Select(s => ($"compose service {s.Name}",
                (IReadOnlyDictionary<string, string>)s.Service.Entries("environment").ToDictionary(e => e.Key, e => (string)e.Value!, StringComparer.Ordinal),
                (IReadOnlyList<string>)s.Service.Items("command").Cast<string>().ToList())));

    /// <summary>The repository file a bind mount puts at a path in the container.</summary>
    private static string MountedFile(object? service, string inContainer)
    {
        var mount = service.Items("volumes").Cast<string>().Select(v => v.Split(':')).Single(v => v.Length >= 2 && v[1] == inContainer);
        return Path.GetFullPath(Path.Combine(DeployFiles.PathOf(Directory), mount[0]));
    }

    [Fact]
    public void The_split_profile_runs_every_role_once_behind_the_gateway_and_the_single_profile_runs_them_all()
    {
        var compose = Compose();
        var split = Services(compose).Where(s => IsMeridian(s.Service) && Profiles(s.Service).Contains("split")).ToList();
        var roles = split.Select(s => Assert.Single(StartupValidation.RolesOf(s.Service.Items("command").Cast<string>().ToList()))).ToList();
        Assert.All(split, s => Assert.Equal(s.Name, Assert.Single(StartupValidation.RolesOf(s.Service.Items("command").Cast<string>().ToList()))));
        Assert.All(roles, r => Assert.True(StartupValidation.IsRole(r), $"{r} is not a role of meridian serve"));
        Assert.All(Roles.Names, r => Assert.Contains(r, roles));
        Assert.Equal(roles.Count, roles.Distinct().Count());

        // Only the gateway is published; its clusters are the services of the roles.
        Assert.Equal(["gateway"], split.Where(s => s.Service.Items("ports").Count > 0).Select(s => s.Name));
        var gateway = split.Single(s => s.Name == "gateway").Service;
        var routes = JsonNode.Parse(File.ReadAllText(MountedFile(gateway, "/etc/meridian/gateway.json")))!;
        var services = Services(compose).Select(s => s.Name).ToHashSet();
        foreach (var (cluster, settings) in routes["Meridian"]!["Gateway"]!["Clusters"]!.AsObject())
            Assert.All(settings!["Destinations"]!.AsArray(), d => Assert.Contains(new Uri((string)d!).Host, services));

        var single = Assert.Single(Services(compose), s => IsMeridian(s.Service) && Profiles(s.Service).Contains("single"));
        Assert.Empty(StartupValidation.RolesOf(single.Service.Items("command").Cast<string>().ToList()));
    }

    [Fact]
    public void Every_meridian_container_is_non_root_read_only_without_capabilities_and_checks_its_readiness()
    {
        foreach (var (name, service) in Services(Compose()).Where(s => IsMeridian(s.Service)))
        {
            Assert.Equal($"{DockerfileTests.User()}:{DockerfileTests.User()}", service.Text("user"));
            Assert.Equal("true", service.Text("read_only"));
            Assert.Equal(["ALL"], service.Items("cap_drop").Cast<string>());
            Assert.Contains("no-new-privileges:true", service.Items("security_opt").Cast<string>());
            Assert.Contains(service.Items("tmpfs").Cast<string>(), t => t.StartsWith("/tmp", StringComparison.Ordinal));
            var port = StartupValidation.PortOf(service.Items("command").Cast<string>().ToList());
            Assert.Equal(["CMD", "/app/meridian", "probe", $"http://127.0.0.1:{port}/ready"], service.Items("healthcheck", "test").Cast<string>());
            // The drain (30 s) must end before compose kills the container.
            Assert.True(TimeSpan.Parse("00:00:" + service.Text("stop_grace_period")!.TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture) > TimeSpan.FromSeconds(30), name);
        }
    }

    [Fact]
    public void Every_dependency_is_a_service_of_the_same_profile_and_every_engine_reports_its_health()
    {
        var services = Services(Compose()).ToDictionary(s => s.Name, s => s.Service);
        foreach (var (name, service) in services)
        {
            foreach (var (dependency, condition) in service.Entries("depends_on"))
            {
                Assert.True(services.ContainsKey(dependency), $"{name} depends on {dependency}, which is not a service");
                Assert.Equal(Profiles(service), Profiles(services[dependency]));
                if (condition.Text("condition") == "service_healthy") Assert.NotNull(services[dependency].At("healthcheck"));
            }
        }
        Assert.True(File.Exists(DeployFiles.PathOf("deploy/docker/Dockerfile")));
        Assert.Contains("deploy/compose/.env", File.ReadLines(DeployFiles.PathOf(".gitignore")));
    }

    [GeneratedRegex(@"\$\{([A-Z_][A-Z0-9_]*)(?:(:[?-])([^}]*))?\}")]
    private static partial Regex VariableRegex();
}
