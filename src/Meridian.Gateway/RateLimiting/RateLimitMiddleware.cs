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
    private readonly Rule[] _rules = options.Gateway.RateLimiting.Rules.Select(r => new Rule(r)).ToArray();

    /// <summary>The RateLimit-Policy field when every rule applies, the usual case: the same text on every answer.</summary>
    private readonly string _allPolicies = string.Join(", ", options.Gateway.RateLimiting.Rules.Select(r => new Rule(r).Policy));

    public Task InvokeAsync(HttpContext context)
    {
        // The in-memory counters answer at once: then no async step is added to the request.
        var outcome = DecideAsync(context);
        return outcome.IsCompletedSuccessfully ? ApplyAsync(context, outcome.Result) : AwaitedAsync(context, outcome);
    }

    private async Task AwaitedAsync(HttpContext context, ValueTask<Outcome> outcome) => await ApplyAsync(context, await outcome);

    private async ValueTask<Outcome> DecideAsync(HttpContext context)
    {
        Rule? tightestRule = null;
        RateLimitDecision tightest = default;
        var all = true;
        foreach (var rule in _rules)
        {
            if (PartitionOf(context, rule.Settings.Partition) is not { } partition)
            {
                all = false;
                continue;
            }
            var decision = await counters.AcquireAsync(rule.KeyPrefix + partition, rule.Settings, context.RequestAborted);
            if (tightestRule is null || !decision.Allowed && tightest.Allowed || decision.Allowed == tightest.Allowed && decision.Remaining < tightest.Remaining)
            {
                tightestRule = rule;
                tightest = decision;
            }
        }
        return new Outcome(tightestRule, tightest, all);
    }

    private Task ApplyAsync(HttpContext context, Outcome outcome)
    {
        if (outcome.Rule is not { } rule) return next(context);
        var decision = outcome.Decision;
        var headers = context.Response.Headers;
        headers["RateLimit-Policy"] = outcome.AllRulesApplied
            ? _allPolicies
            : string.Join(", ", _rules.Where(r => PartitionOf(context, r.Settings.Partition) is not null).Select(r => r.Policy));
        headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture,
            $"\"{rule.Settings.Name}\";r={decision.Remaining};t={(long)Math.Ceiling(decision.Reset.TotalSeconds)}");
        if (decision.Allowed) return next(context);

        var retryAfter = (long)Math.Max(1, Math.Ceiling(decision.RetryAfter.TotalSeconds));
        headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return GatewayProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests, GatewayProblems.RateLimited, "Too many requests",
            $"The rate limit '{rule.Settings.Name}' ({rule.Settings.Limit} requests per {rule.Settings.Window}) is used up; retry in {retryAfter} s.");
    }

    private static string? PartitionOf(HttpContext context, RateLimitPartition partition) => partition switch
    {
        RateLimitPartition.ClientIp => context.Connection.RemoteIpAddress?.ToString(),
        RateLimitPartition.ApiKey => context.User.FindFirst(GatewayClaims.KeyId)?.Value,
        RateLimitPartition.Tenant => context.User.FindFirst(GatewayClaims.Tenant)?.Value,
        _ => null,
    };

    /// <summary>A configured rule with the texts that never change: its counters' key prefix and its RateLimit-Policy item.</summary>
    private sealed class Rule(RateLimitRule settings)
    {
        public RateLimitRule Settings { get; } = settings;

        public string KeyPrefix { get; } = $"meridian:rl:{settings.Name}:";

        public string Policy { get; } = string.Create(CultureInfo.InvariantCulture, $"\"{settings.Name}\";q={settings.Limit};w={(long)settings.Window.TotalSeconds}");
    }

    /// <summary>The tightest rule's decision (no rule: none applied), and whether every rule applied.</summary>
    private readonly record struct Outcome(Rule? Rule, RateLimitDecision Decision, bool AllRulesApplied);
}
