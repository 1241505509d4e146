using System.Globalization;
using Meridian.Hosting.Configuration;

namespace Meridian.Composition;

/// <summary>
/// Where a socket's completions run, and on how many socket threads. By default the runtime's socket thread hands every
/// completion to the thread pool, which suits a process whose requests do real work (queries, tiles, ingest): none of
/// it can hold up the socket thread. A process that runs the gateway role alone only proxies, and there each request is
/// a few microseconds of work between two socket reads; the hand-offs (a thread woken, a task switch, twice per proxied
/// request) then cost more than the work. Run inline, YARP's and Kestrel's continuations go on on the socket threads.
/// Measured in bench/RESULTS.md: 20–35 % more requests/s for the gateway on the same machine.
/// </summary>
/// <remarks>
/// With inline completions the runtime starts one socket thread per core. Kestrel still runs each request's own work on
/// the thread pool, and on a 2-core machine under load the socket threads spent about 40 % of the process's CPU: two of
/// them woke twice as often as one for fewer events each, and competed with the pool's workers for the same cores.
/// One socket thread per two cores measured 6–13 % more requests/s at 16 connections and the same at 64 (bench/RESULTS.md,
/// "Socket threads"); larger machines were not measured, and the operator's variable wins, as for inline completions.
/// </remarks>
internal static class ProxySockets
{
    /// <summary>The runtime reads both once, when the process opens its first socket.</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public const string SocketThreadsVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    public static bool InlineCompletions(MeridianOptions options) =>
        options.Gateway.InlineSocketCompletions ?? Roles.IsOnly(options.Roles, "gateway");

    /// <summary>Socket threads for a process whose completions run inline: one per two cores.</summary>
    public static int InlineSocketThreads(int processors) => Math.Max(1, (processors + 1) / 2);

    /// <summary>
    /// Before any socket is opened. A value of either variable set by whoever started the process wins over the
    /// setting: they are the runtime's own switches, and an operator who set one meant it.
    /// </summary>
    public static void Configure(MeridianOptions options)
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null && InlineCompletions(options))
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        // The runtime inlines on exactly "1".
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1" && Environment.GetEnvironmentVariable(SocketThreadsVariable) is null)
            Environment.SetEnvironmentVariable(SocketThreadsVariable, InlineSocketThreads(Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture));
    }
}
