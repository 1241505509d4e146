using Meridian.Hosting.Configuration;

namespace Meridian.Composition;

/// <summary>
/// Where a socket's completions run. By default the runtime's socket thread hands every completion to the thread pool,
/// which suits a process whose requests do real work (queries, tiles, ingest): none of it can hold up the socket
/// thread. A process that runs the gateway role alone only proxies, and there each request is a few microseconds of
/// work between two socket reads; the hand-offs (a thread woken, a task switch, twice per proxied request) then cost
/// more than the work. Run inline, YARP's and Kestrel's continuations go on on the socket threads (one per core).
/// Measured in bench/RESULTS.md: 20–35 % more requests/s for the gateway on the same machine.
/// </summary>
internal static class ProxySockets
{
    /// <summary>The runtime reads it once, when the process opens its first socket.</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static bool InlineCompletions(MeridianOptions options) =>
        options.Gateway.InlineSocketCompletions ?? Roles.IsOnly(options.Roles, "gateway");

    /// <summary>
    /// Before any socket is opened. A value of the variable set by whoever started the process wins over the setting:
    /// it is the runtime's own switch, and an operator who set it meant it.
    /// </summary>
    public static void Configure(MeridianOptions options)
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null && InlineCompletions(options))
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
    }
}
