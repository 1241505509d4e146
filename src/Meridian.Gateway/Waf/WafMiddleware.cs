using Meridian.Hosting.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Meridian.Gateway.Waf;

/// <summary>Runs the <see cref="WafInspector"/> on every request: a finding is logged for audit, and blocked with a 403 unless detect-only.</summary>
internal sealed partial class WafMiddleware(RequestDelegate next, WafInspectorBuild build, MeridianOptions options, ILogger<WafMiddleware> logger)
{
    private readonly WafMode _mode = options.Gateway.Waf.Mode;

    public Task InvokeAsync(HttpContext context)
    {
        if (_mode == WafMode.Off) return next(context);
        var inspector = build.Inspector;
        if (!inspector.IsCompletedSuccessfully) return InspectWhenBuiltAsync(context, inspector);
        // Without a body to read, inspection finishes at once: the clean request goes on without an extra async step.
        var inspection = inspector.Result.InspectAsync(context);
        if (!inspection.IsCompletedSuccessfully) return AwaitedAsync(context, inspection);
        return inspection.Result is { } finding ? FoundAsync(context, finding) : next(context);
    }

    /// <summary>A request that came while the inspector was still being built (or whose build failed: then it fails too).</summary>
    private async Task InspectWhenBuiltAsync(HttpContext context, Task<WafInspector> inspector)
    {
        await inspector;
        await InvokeAsync(context);
    }

    private async Task AwaitedAsync(HttpContext context, ValueTask<WafFinding?> inspection)
    {
        if (await inspection is { } finding) await FoundAsync(context, finding);
        else await next(context);
    }

    private Task FoundAsync(HttpContext context, WafFinding finding)
    {
        var blocked = _mode == WafMode.Block;
        LogFinding(logger, blocked ? "block" : "detect", finding.RuleId, finding.Category, finding.Paranoia, finding.Target, finding.Excerpt,
            context.Request.Method, context.Request.Path.Value ?? "/", context.Connection.RemoteIpAddress?.ToString() ?? "", context.TraceIdentifier);
        if (!blocked) return next(context);
        return GatewayProblems.WriteAsync(context, StatusCodes.Status403Forbidden, GatewayProblems.RequestBlocked, "Request blocked",
            $"The request was blocked by the web application firewall: rule {finding.RuleId} ({finding.Category}) matched {finding.Target}.");
    }

    /// <summary>The audit entry: what matched where, and who asked; the query string and credentials are never logged.</summary>
    [LoggerMessage(EventId = 6001, EventName = "WafFinding", Level = LogLevel.Warning,
        Message = "WAF {Action}: rule {RuleId} ({Category}, level {Paranoia}) matched {Target} ({Excerpt}) in {Method} {Path} from {ClientIp}, request {RequestId}")]
    private static partial void LogFinding(ILogger logger, string action, string ruleId, string category, int paranoia, string target, string excerpt,
        string method, string path, string clientIp, string requestId);
}
