using System.Net;
using System.Net.Sockets;
using Meridian.Tests.Clients;

namespace Meridian.Tests.Cli;

/// <summary>The built meridian binary, run as a user runs it.</summary>
public static class MeridianProcess
{
    private static readonly string Binary = Path.Combine(AppContext.BaseDirectory, "meridian.dll");

    public static Task<ExternalProcess.Result> RunAsync(IEnumerable<string> arguments, IDictionary<string, string>? environment = null) =>
        ExternalProcess.RunAsync("dotnet", [Binary, .. arguments], TimeSpan.FromMinutes(2), environment);

    public static System.Diagnostics.Process Start(IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Binary);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = System.Diagnostics.Process.Start(start)!;
        // Drain the pipes so that a chatty server never blocks on a full buffer.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
