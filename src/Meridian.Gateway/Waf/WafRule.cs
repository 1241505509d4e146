using System.Text.RegularExpressions;

namespace Meridian.Gateway.Waf;

/// <summary>Families of attack the WAF recognises; the lower-case name is also how exclusions name a whole family.</summary>
internal enum WafCategory
{
    Sqli,
    Xss,
    Traversal,
    Command,
    Protocol,
}

/// <summary>Parts of a request a rule looks at.</summary>
[Flags]
internal enum WafTargets
{
    Path = 1,
    Query = 2,
    Header = 4,
    Body = 8,
    All = Path | Query | Header | Body,
}

/// <summary>One signature: a stable id (used in exclusions and audit logs), the lowest paranoia level it runs at, and its pattern.</summary>
internal sealed record WafRule(string Id, WafCategory Category, int Paranoia, WafTargets Targets, string Pattern)
{
    public const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    /// <summary>
    /// Interpreted, not compiled: a rule only runs on a value its category's pre-filter matched (rare in legitimate
    /// traffic), and compiling every rule cost about a second of start-up. No match timeout: every repetition in the
    /// patterns is bounded or anchored on a single class, and the inputs are bounded (header sizes, the inspected
    /// body), so matching stays linear.
    /// </summary>
    public Regex Regex { get; } = new(Pattern, Options);

    public string CategoryName => Category.ToString().ToLowerInvariant();
}
