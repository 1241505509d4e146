using System.Text.RegularExpressions;
using Meridian.Cli;

namespace Meridian.Deploy.Tests;

/// <summary>
/// deploy/docker/Dockerfile against the repository: what it copies exists and reaches the build context, what it
/// publishes is the meridian executable, and what it runs is a non-root serve on every address. (No Docker engine
/// runs in CI; deploy/docker/smoke.sh publishes the same way and serves the result.)
/// </summary>
public sealed partial class DockerfileTests
{
    private const string Dockerfile = "deploy/docker/Dockerfile";

    /// <summary>The instructions, continuation lines joined, comments dropped.</summary>
    private static IReadOnlyList<(string Instruction, string Arguments)> Instructions()
    {
        var text = ContinuationRegex().Replace(DeployFiles.Read(Dockerfile), " ");
        return text.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.IndexOf(' ') is var i and > 0 ? (l[..i].ToUpperInvariant(), l[(i + 1)..].Trim()) : (l.ToUpperInvariant(), ""))
            .ToList();
    }

    /// <summary>The instructions of the final stage (after the last FROM).</summary>
    private static IReadOnlyList<(string Instruction, string Arguments)> FinalStage()
    {
        var all = Instructions();
        var last = all.Select((x, i) => (x, i)).Last(x => x.x.Instruction == "FROM").i;
        return all.Skip(last).ToList();
    }

    /// <summary>The final stage's ENV, as the container's process sees it.</summary>
    internal static IReadOnlyDictionary<string, string> Environment() =>
        FinalStage().Where(x => x.Instruction == "ENV")
            .SelectMany(x => EnvAssignmentRegex().Matches(x.Arguments))
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);

    internal static string User() => FinalStage().Single(x => x.Instruction == "USER").Arguments;

    internal static string ExposedPort() => FinalStage().Single(x => x.Instruction == "EXPOSE").Arguments;

    private static string[] JsonArray(string instruction) =>
        System.Text.Json.JsonSerializer.Deserialize<string[]>(FinalStage().Single(x => x.Instruction == instruction).Arguments)!;

    [Fact]
    public void Every_path_the_image_copies_from_the_repository_exists_and_is_in_the_build_context()
    {
        var ignored = DeployFiles.Lines(".dockerignore");
        var sources = Instructions().Where(x => x.Instruction == "COPY" && !x.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(x => x.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).SkipLast(1))
            .ToList();

        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var path = DeployFiles.PathOf(source.TrimEnd('/'));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY {source}: no such file or directory");
            Assert.DoesNotContain(ignored, pattern => Excludes(pattern, source));
        }
        // The tiles role embeds MapLibre from outside src/: the image must copy it, or the build fails.
        var tiles = DeployFiles.Read("src/Meridian.Tiles/Meridian.Tiles.csproj");
        Assert.Contains(@"..\..\web\maplibre\", tiles, StringComparison.Ordinal);
        Assert.Contains("web/maplibre/", sources);
    }

    /// <summary>.dockerignore's patterns as Docker reads them for the paths used here: "/x" and "x/" from the root, "**/x/" anywhere.</summary>
    private static bool Excludes(string pattern, string source)
    {
        var path = "/" + source.TrimEnd('/') + "/";
        var p = pattern.TrimEnd('/');
        return p.StartsWith("**/", StringComparison.Ordinal)
            ? path.Contains("/" + p[3..] + "/", StringComparison.Ordinal)
            : path.StartsWith("/" + p.TrimStart('/') + "/", StringComparison.Ordinal);
    }

    [Fact]
    public void The_image_publishes_the_meridian_executable_and_runs_it()
    {
        var publish = Instructions().Single(x => x.Instruction == "RUN" && x.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Arguments;
        var project = PublishProjectRegex().Match(publish);
        Assert.True(project.Success, publish);
        Assert.True(File.Exists(DeployFiles.PathOf(project.Groups[1].Value)));
        Assert.Contains("-c Release", publish, StringComparison.Ordinal);
        Assert.Contains("--self-contained false", publish, StringComparison.Ordinal); // the ASP.NET runtime image provides the runtime
        var output = OutputRegex().Match(publish).Groups[1].Value;
        var assembly = AssemblyNameRegex().Match(DeployFiles.Read(project.Groups[1].Value)).Groups[1].Value;

        Assert.Contains(FinalStage(), x => x.Instruction == "COPY" && x.Arguments == $"--from=build {output} ./");
        // smoke.sh stands in for a build of the image: it must publish the same way.
        var command = publish[publish.IndexOf("dotnet publish", StringComparison.Ordinal)..publish.IndexOf(" -o ", StringComparison.Ordinal)];
        Assert.Contains(command + " -o ", DeployFiles.Read("deploy/docker/smoke.sh"), StringComparison.Ordinal);
        Assert.Equal($"{output}/{assembly}", Assert.Single(JsonArray("ENTRYPOINT")));
        Assert.Equal(output, FinalStage().Single(x => x.Instruction == "WORKDIR").Arguments);
    }

    [Fact]
    public void The_image_serves_on_every_address_as_a_non_root_user_and_checks_itself_with_a_verb_meridian_has()
    {
        Assert.True(int.TryParse(User(), out var uid) && uid > 0, $"USER {User()}: a numeric non-root id lets Kubernetes check runAsNonRoot");
        var command = JsonArray("CMD");
        Assert.Equal("serve", command[0]);
        Assert.Equal(ExposedPort(), StartupValidation.PortOf(command).ToString(System.Globalization.CultureInfo.InvariantCulture));

        var healthcheck = FinalStage().Single(x => x.Instruction == "HEALTHCHECK").Arguments;
        var probe = System.Text.Json.JsonSerializer.Deserialize<string[]>(healthcheck[healthcheck.IndexOf('[')..])!;
        Assert.Equal([Assert.Single(JsonArray("ENTRYPOINT")), "probe", $"http://127.0.0.1:{ExposedPort()}/ready"], probe);
        Assert.Contains(MeridianCli.Build().Subcommands, c => c.Name == probe[1]);
        // The embedded stores' directory is the volume, owned by the user.
        Assert.Contains(FinalStage(), x => x.Instruction == "VOLUME" && x.Arguments.Contains(Environment()["MERIDIAN__Data"], StringComparison.Ordinal));
        Assert.Contains(FinalStage(), x => x.Instruction == "COPY" && x.Arguments.StartsWith($"--from=build --chown={uid}:{uid} ", StringComparison.Ordinal)
            && x.Arguments.EndsWith(" " + Environment()["MERIDIAN__Data"], StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\\\r?\n")]
    private static partial Regex ContinuationRegex();

    [GeneratedRegex(@"(\w+)=(\S+)")]
    private static partial Regex EnvAssignmentRegex();

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex PublishProjectRegex();

    [GeneratedRegex(@" -o (\S+)")]
    private static partial Regex OutputRegex();

    [GeneratedRegex(@"<AssemblyName>([^<]+)</AssemblyName>")]
    private static partial Regex AssemblyNameRegex();
}
