using System.CommandLine;

namespace Meridian.Cli;

/// <summary>
/// <c>meridian probe [URL]</c>: asks a Meridian for its readiness (or any URL) and exits 0 on a 2xx answer, 1 otherwise.
/// The container image has no shell and no curl (a distroless base, for a small attack surface), so a container
/// health check — Docker's HEALTHCHECK, compose's healthcheck, an exec probe — runs the binary it already has.
/// </summary>
internal static class ProbeCommand
{
    public const string DefaultUrl = "http://127.0.0.1:8080/ready";

    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = $"What to ask (default {DefaultUrl}).", DefaultValueFactory = _ => DefaultUrl };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the answer (default 5).", DefaultValueFactory = _ => 5 };
        var command = new Command("probe", "Exit 0 when a running Meridian answers URL with a 2xx status (a container health check).") { url, timeout };
        command.SetAction(async (parse, ct) =>
        {
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                await Console.Error.WriteLineAsync($"error: '{parse.GetValue(url)}': expected an http(s) URL, e.g. {DefaultUrl}");
                return 2;
            }
            var seconds = parse.GetValue(timeout);
            if (!double.IsFinite(seconds) || seconds is <= 0 or > 3600)
            {
                await Console.Error.WriteLineAsync("error: --timeout: seconds between 0 and 3600");
                return 2;
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(seconds) };
            try
            {
                using var response = await http.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, ct);
                if (response.IsSuccessStatusCode) return 0;
                await Console.Error.WriteLineAsync($"{address}: {(int)response.StatusCode} {response.ReasonPhrase}");
                return 1;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Console.Error.WriteLineAsync($"{address}: {(e is TaskCanceledException ? $"no answer within {seconds} s" : e.Message)}");
                return 1;
            }
        });
        return command;
    }
}
