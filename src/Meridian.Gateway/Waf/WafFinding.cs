namespace Meridian.Gateway.Waf;

/// <summary>
/// What the WAF found: the rule, its category and level, the part of the request (e.g. "query:filter"), and a
/// short excerpt of the matching text (redacted for parts that may carry credentials).
/// </summary>
internal sealed record WafFinding(string RuleId, string Category, int Paranoia, string Target, string Excerpt);
