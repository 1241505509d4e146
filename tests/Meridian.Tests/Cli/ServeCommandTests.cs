using System.Net;

namespace Meridian.Tests.Cli;

/// <summary><c>meridian serve</c> as a process: ready with nothing installed, one role at a time, clean shutdown.</summary>
public sealed class ServeCommandTests
{
    internal static async Task<HttpClient> WaitUntilReadyAsync(System.Diagnostics.Process process, int port)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            Assert.False(process.HasExited, "meridian serve exited early");
            try
            {
                if ((await client.GetAsync("/ready")).StatusCode == HttpStatusCode.OK) return client;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("meridian serve did not become ready within 30 s");
    }

    [Theory]
    [InlineData("all")]
    [InlineData("features")]
    public async Task Serve_EmbeddedDefaults_BecomesReadyAndStopsCleanlyOnSigterm(string roles)
    {
        using var data = new TempDirectory();
        var port = MeridianProcess.FreePort();
        using var process = MeridianProcess.Start(["serve", "--data", data.Path, "--roles", roles, "--urls", $"http://127.0.0.1:{port}"]);
        try
        {
            using var client = await WaitUntilReadyAsync(process, port);
            var collections = await client.GetStringAsync("/collections");
            Assert.Contains("\"collections\":[]", collections);

            Posix.Terminate(process);
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}

internal static class Posix
{
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>Sends SIGTERM, as Kubernetes and systemd do to stop a process.</summary>
    public static void Terminate(System.Diagnostics.Process process) => Assert.Equal(0, kill(process.Id, 15));

    /// <summary>Sends SIGINT, as Ctrl-C in a terminal does.</summary>
    public static void Interrupt(System.Diagnostics.Process process) => Assert.Equal(0, kill(process.Id, 2));
}
