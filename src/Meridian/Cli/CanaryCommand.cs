using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Meridian.Cli;

/// <summary>
/// <c>meridian canary status|promote|rollback [--route R] --server URL</c>: a running gateway's releases through
/// its admin API (<c>/admin/releases</c>), with the admin API key from MERIDIAN_API_KEY.
/// </summary>
internal static class CanaryCommand
{
    public static Command Create() => new("canary", "Follow and decide a gateway's canary and blue/green releases (needs an admin key in MERIDIAN_API_KEY).")
    {
        Verb("status", "Show each release: phase, the candidate's share, both groups' requests, error rate and p95 on that gateway.", null),
        Verb("promote", "Send all of a route's traffic to its candidate now.", "promote"),
        Verb("rollback", "Send all of a route's traffic back to its stable group now.", "rollback"),
    };

    private static Command Verb(string name, string description, string? action)
    {
        var route = new Option<string?>("--route") { Description = "The route whose release to act on (optional when the gateway has only one)." };
        var server = new Option<string>("--server") { Description = "The gateway, e.g. http://127.0.0.1:8080.", Required = true };
        var command = new Command(name, description) { route, server };
        command.SetAction((parse, ct) => MeridianCli.Guard(async () =>
        {
            if (await RemoteServer.ParseAsync(parse.GetValue(server)!) is not { } url) return 2;
            using var http = RemoteServer.Client(url);
            try
            {
                return await RunAsync(http, parse.GetValue(route), action, ct);
            }
            catch (HttpRequestException e)
            {
                await Console.Error.WriteLineAsync($"error: cannot reach {url}: {e.Message}");
                return 1;
            }
        }));
        return command;
    }

    private static async Task<int> RunAsync(HttpClient http, string? route, string? action, CancellationToken ct)
    {
        if (action is null)
        {
            var answer = await SendAsync(http, HttpMethod.Get, route is null ? "admin/releases" : $"admin/releases/{Uri.EscapeDataString(route)}", ct);
            if (answer is null) return 1;
            await Console.Out.WriteLineAsync("route\tkind\tphase\tcandidate%\tstable -> candidate\tstable req/err/p95\tcandidate req/err/p95\treason");
            foreach (var release in answer as JsonArray ?? [answer]) await Console.Out.WriteLineAsync(Line(release!));
            return 0;
        }
        if (route is null)
        {
            if (await SendAsync(http, HttpMethod.Get, "admin/releases", ct) is not JsonArray all) return 1;
            if (all.Count != 1)
            {
                await Console.Error.WriteLineAsync($"error: --route is needed: the gateway has {all.Count} releases ({string.Join(", ", all.Select(r => (string?)r!["route"]))})");
                return 2;
            }
            route = (string)all[0]!["route"]!;
        }
        var changed = await SendAsync(http, HttpMethod.Post, $"admin/releases/{Uri.EscapeDataString(route)}/{action}", ct);
        if (changed is null) return 1;
        await Console.Out.WriteLineAsync(Line(changed));
        return 0;
    }

    /// <summary>The answer's JSON, or null after printing the problem the server answered with.</summary>
    private static async Task<JsonNode?> SendAsync(HttpClient http, HttpMethod method, string path, CancellationToken ct)
    {
        using var response = await http.SendAsync(new HttpRequestMessage(method, path), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.IsSuccessStatusCode) return JsonNode.Parse(body);
        await Console.Error.WriteLineAsync($"error: the server answered {(int)response.StatusCode}: {RemoteServer.Detail(body)}");
        return null;
    }

    private static string Line(JsonNode release) => string.Join('\t',
        (string?)release["route"], (string?)release["kind"], (string?)release["phase"],
        ((int?)release["candidatePercent"])?.ToString(CultureInfo.InvariantCulture),
        $"{(string?)release["stable"]} -> {(string?)release["candidate"]}",
        Group(release["stableMetrics"]), Group(release["candidateMetrics"]), (string?)release["reason"] ?? "");

    private static string Group(JsonNode? metrics) => string.Create(CultureInfo.InvariantCulture,
        $"{(long?)metrics?["requests"]}/{(double?)metrics?["errorRate"]:P1}/{(double?)metrics?["p95Ms"]}ms");
}
