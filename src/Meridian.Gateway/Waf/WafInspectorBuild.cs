using Meridian.Hosting.Configuration;

namespace Meridian.Gateway.Waf;

/// <summary>
/// The <see cref="WafInspector"/>, built on the thread pool from the moment the services are registered: building its
/// automata takes most of a second of CPU, which would otherwise delay start-up by as much, and on two or more cores
/// it overlaps the rest of the start-up (host, stores, server). Requests wait for it: none is served uninspected,
/// <c>/ready</c> included; were the build to fail, every request would fail with it (and the process would never be
/// ready), as the start-up itself failed before.
/// </summary>
internal sealed class WafInspectorBuild(WafOptions options)
{
    public Task<WafInspector> Inspector { get; } = Task.Run(() => new WafInspector(options));
}
