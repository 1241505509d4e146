using System.Globalization;
using Meridian.Gateway.Auth;
using Meridian.Hosting.Configuration;
using Microsoft.AspNetCore.Http;

namespace Meridian.Gateway.RateLimiting;

/// <summary>
/// Applies every configured rule that has a partition for the request (client IP always; API key and tenant once
/// authenticated). Answers carry the IETF RateLimit-Policy and RateLimit fields of the tightest rule; a refusal
/// is a 429 problem with Retry-After.
/// </summary>
internal sealed class RateLimitMiddleware(RequestDelegate next, IRateLimitCounters counters, MeridianOptions options)
{
    private readonly IReadOnlyList<RateLimitRule> _rules = options.Gateway.RateLimiting.Rules;

    public async Task InvokeAsync(HttpContext context)
    {
        RateLimitRule? tightestRule = null;
        RateLimitDecision tightest = default;
        var policies = new List<string>(_rules.Count);
        foreach (var rule in _rules)
        {
            if (PartitionOf(context, rule.Partition) is not { } partition) continue;
            var decision = await counters.AcquireAsync($"meridian:rl:{rule.Name}:{partition}", rule, context.RequestAborted);
            policies.Add(string.Create(CultureInfo.InvariantCulture, $"\"{rule.Name}\";q={rule.Limit};w={(long)rule.Window.TotalSeconds}"));
            if (tightestRule is null || !decision.Allowed && tightest.Allowed || decision.Allowed == tightest.Allowed && decision.Remaining < tightest.Remaining)
            {
                tightestRule = rule;
                tightest = decision;
            }
        }
        if (tightestRule is null)
        {
            await next(context);
            return;
        }

        var headers = context.Response.Headers;
        headers["RateLimit-Policy"] = string.Join(", ", policies);
        headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture,
            $"\"{tightestRule.Name}\";r={tightest.Remaining};t={(long)Math.Ceiling(tightest.Reset.TotalSeconds)}");
        if (tightest.Allowed)
        {
            await next(context);
            return;
        }
        var retryAfter = (long)Math.Max(1, Math.Ceiling(tightest.RetryAfter.TotalSeconds));
        headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await GatewayProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests, GatewayProblems.RateLimited, "Too many requests",
            $"The rate limit '{tightestRule.Name}' ({tightestRule.Limit} requests per {tightestRule.Window}) is used up; retry in {retryAfter} s.");
    }

    private static string? PartitionOf(HttpContext context, RateLimitPartition partition) => partition switch
    {
        RateLimitPartition.ClientIp => context.Connection.RemoteIpAddress?.ToString(),
        RateLimitPartition.ApiKey => context.User.FindFirst(GatewayClaims.KeyId)?.Value,
        RateLimitPartition.Tenant => context.User.FindFirst(GatewayClaims.Tenant)?.Value,
        _ => null,
    };
}
