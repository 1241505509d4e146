using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Meridian.Hosting.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Meridian.Gateway.Waf;

/// <summary>
/// Inspects one request: protocol anomalies first, then the raw path, every query name and value, the headers
/// that carry free text, and the first <see cref="WafOptions.MaxBodyBytes"/> of a textual body (JSON bodies
/// string by string, forms value by value). Each part is normalized by <see cref="WafDecoder"/> and tried
/// against combined pre-filter expressions of the active rules; only a hit runs the rules one by one to name it.
/// </summary>
internal sealed class WafInspector
{
    /// <summary>
    /// Headers that are structured (Accept: */*;q=0.8, Sec-CH-UA quoting), credentials we must not log, and
    /// X-Request-Id: <see cref="Http.RequestIdMiddleware"/>, which runs first, has already replaced any value with
    /// more than letters, digits and "-_.:" by an id of its own — unique per request, so inspecting it would cost
    /// a full scan every time and fill the remembered clean values with ids that never come back.
    /// </summary>
    private static readonly HashSet<string> SkippedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Authorization, HeaderNames.ProxyAuthorization, "X-API-Key", HeaderNames.Accept, HeaderNames.AcceptEncoding,
        HeaderNames.AcceptLanguage, HeaderNames.AcceptCharset, HeaderNames.Connection, HeaderNames.ContentLength,
        HeaderNames.ContentType, HeaderNames.ContentEncoding, HeaderNames.TransferEncoding, HeaderNames.Host,
        HeaderNames.CacheControl, HeaderNames.Pragma, HeaderNames.IfNoneMatch, HeaderNames.IfMatch, HeaderNames.IfModifiedSince,
        HeaderNames.IfUnmodifiedSince, HeaderNames.IfRange, HeaderNames.Range, HeaderNames.UpgradeInsecureRequests,
        HeaderNames.TE, HeaderNames.KeepAlive, HeaderNames.Upgrade, "DNT", "Priority", "traceparent", "tracestate", "baggage",
        Http.RequestIdMiddleware.Header,
    };

    private readonly WafOptions _options;
    private readonly ProtocolInspector _protocol;
    private readonly Dictionary<WafTargets, RuleSet> _sets;

    public WafInspector(WafOptions options)
    {
        _options = options;
        _protocol = new ProtocolInspector(options);
        var active = WafRules.Rules.Where(r => r.Paranoia <= options.Paranoia).ToList();
        // One automaton per category for all targets: each costs ~5 MB and a fraction of a second to build, and four
        // copies (one per target) made the WAF most of an idle server's memory. A filter that also covers another
        // target's rules only lets more values through to the rules, which decide.
        var filters = active.GroupBy(r => r.Category).ToDictionary(g => g.Key, g => RuleSet.Filter(g));
        _sets = new[] { WafTargets.Path, WafTargets.Query, WafTargets.Header, WafTargets.Body }
            .ToDictionary(t => t, t =>
            {
                var rules = active.Where(r => r.Targets.HasFlag(t)).ToArray();
                return new RuleSet(rules, rules.Select(r => r.Category).Distinct().Select(c => filters[c]).ToArray());
            });
        foreach (var set in _sets.Values) set.WarmUp();
    }

    public async ValueTask<WafFinding?> InspectAsync(HttpContext context)
    {
        var request = context.Request;
        var scan = new Scan(this, ExclusionsFor(request.Path));

        if (_protocol.Inspect(request) is { } anomaly && !scan.Excluded(anomaly.RuleId, anomaly.Category, anomaly.Target)) return anomaly;

        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        var query = target.IndexOf('?');
        var path = query < 0 ? target : target[..query];
        if (scan.Check(WafTargets.Path, new Target("path"), path) is { } inPath) return inPath;

        // Asked only when there is a query: reading Request.Query makes a feature even for none.
        foreach (var (name, values) in request.QueryString.HasValue ? request.Query : QueryCollection.Empty)
        {
            if (scan.Check(WafTargets.Query, new Target("query", name), name) is { } inName) return inName;
            foreach (var value in values)
            {
                if (value is not null && scan.Check(WafTargets.Query, new Target("query", name), value) is { } inValue) return inValue;
            }
        }

        foreach (var (name, values) in request.Headers)
        {
            if (SkippedHeaders.Contains(name) || name.StartsWith("Sec-", StringComparison.OrdinalIgnoreCase)) continue;
            var isCookie = name.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase);
            foreach (var value in values)
            {
                if (value is null) continue;
                var parts = isCookie ? CookieParts(value) : [value];
                foreach (var part in parts)
                {
                    if (scan.Check(WafTargets.Header, new Target("header", name, LowerCase: true), part) is { } inHeader) return inHeader;
                }
            }
        }

        return HasBody(request) && _options.MaxBodyBytes > 0 ? await InspectBodyAsync(request, scan) : null;
    }

    /// <summary>The exclusions under this path; a method of its own, so that requests make no closure when none is configured.</summary>
    private WafExclusion[] ExclusionsFor(PathString path) =>
        _options.Exclusions.Count == 0
            ? []
            : _options.Exclusions.Where(e => path.StartsWithSegments(e.PathPrefix, StringComparison.OrdinalIgnoreCase)).ToArray();

    /// <summary>
    /// Each cookie's name and value on its own: "a=1; b=\"x\"" as one text would look like a quote before a semicolon,
    /// and a value is where an injection starts (x' AND ...), as in a query parameter.
    /// </summary>
    private static IEnumerable<string> CookieParts(string header)
    {
        foreach (var cookie in header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = cookie.IndexOf('=');
            if (equals != 0) yield return equals < 0 ? cookie : cookie[..equals];
            if (equals >= 0 && equals < cookie.Length - 1) yield return cookie[(equals + 1)..];
        }
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || request.ContentLength is null && request.Headers.TransferEncoding.Count > 0;

    private async ValueTask<WafFinding?> InspectBodyAsync(HttpRequest request, Scan scan)
    {
        var kind = BodyKindOf(request.ContentType);
        if (kind == BodyKind.Opaque) return null;

        request.EnableBuffering();
        var buffer = ArrayPool<byte>.Shared.Rent(_options.MaxBodyBytes);
        try
        {
            var length = 0;
            int read;
            while (length < _options.MaxBodyBytes && (read = await request.Body.ReadAsync(buffer.AsMemory(length, _options.MaxBodyBytes - length))) > 0)
            {
                length += read;
            }
            var truncated = length == _options.MaxBodyBytes && await request.Body.ReadAsync(new byte[1]) > 0;
            request.Body.Position = 0;
            var bytes = new ReadOnlySpan<byte>(buffer, 0, length);
            return kind switch
            {
                BodyKind.Json => InspectJson(bytes, truncated, scan),
                BodyKind.Form => InspectForm(Encoding.UTF8.GetString(bytes), scan),
                _ => scan.Check(WafTargets.Body, new Target("body"), Encoding.UTF8.GetString(bytes)),
            };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Each property name and string value on its own: JSON's own quotes and brackets are not an attack.</summary>
    private static WafFinding? InspectJson(ReadOnlySpan<byte> bytes, bool truncated, Scan scan)
    {
        var reader = new Utf8JsonReader(bytes, isFinalBlock: !truncated, state: default);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName
                    && scan.Check(WafTargets.Body, new Target("body"), reader.GetString()!) is { } finding) return finding;
            }
            return null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON after all, or a string that is no text (invalid UTF-8, a lone surrogate escape, which GetString
            // refuses with an InvalidOperationException): a lenient backend might still read it, so look at it as text.
            return scan.Check(WafTargets.Body, new Target("body"), Encoding.UTF8.GetString(bytes));
        }
    }

    private static WafFinding? InspectForm(string body, Scan scan)
    {
        foreach (var (name, values) in QueryHelpers.ParseQuery(body))
        {
            if (scan.Check(WafTargets.Body, new Target("body", name), name) is { } inName) return inName;
            foreach (var value in values)
            {
                if (value is not null && scan.Check(WafTargets.Body, new Target("body", name), value) is { } inValue) return inValue;
            }
        }
        return null;
    }

    private static BodyKind BodyKindOf(string? contentType)
    {
        if (contentType is null) return BodyKind.Text;
        var media = contentType.Split(';', 2)[0].Trim();
        if (media.EndsWith("json", StringComparison.OrdinalIgnoreCase)) return BodyKind.Json;
        if (media.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)) return BodyKind.Form;
        if (media.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || media.EndsWith("xml", StringComparison.OrdinalIgnoreCase)
            || media.Contains("wkt", StringComparison.OrdinalIgnoreCase) || media.Contains("graphql", StringComparison.OrdinalIgnoreCase)) return BodyKind.Text;
        // Uploads (multipart, GeoPackage, zip, images): files may contain anything; the ingestion parsers validate them.
        return BodyKind.Opaque;
    }

    private enum BodyKind
    {
        Json,
        Form,
        Text,
        Opaque,
    }

    /// <summary>
    /// The rules for one kind of target, with their patterns joined into pre-filter expressions that run on the
    /// non-backtracking (automaton) engine: linear passes over a value, whatever the number of rules. That engine has no back-references, and counted repetitions make its automaton large, so the
    /// pre-filter widens both to plain repetition: it may match more than the rules, which then decide.
    /// </summary>
    private sealed class RuleSet(WafRule[] rules, Regex[] filters)
    {
        /// <summary>Clean values remembered per rule set; when full, it starts again empty (so it follows the traffic).</summary>
        private const int MaxRemembered = 8192;

        /// <summary>Longer values are not remembered: they repeat less, and would make the bound a large one in bytes.</summary>
        private const int MaxRememberedLength = 512;

        private static readonly Regex BackReference = new(@"\\k<\w+>", RegexOptions.CultureInvariant);

        /// <summary>
        /// Raw values in which no pre-filter matched. The verdict depends on the value and the rule set only (not on
        /// exclusions, which apply to matches), so a repeat — the same path, User-Agent, cookie or filter again —
        /// skips decoding and matching. Only clean values are kept, so an attacker cannot make a finding be forgotten.
        /// </summary>
        private readonly ConcurrentDictionary<string, bool> _clean = new(StringComparer.Ordinal);

        /// <summary>About how many values <see cref="_clean"/> holds (its own Count would take every lock).</summary>
        private int _cleanCount;

        public WafRule[] Rules { get; } = rules;

        /// <summary>One pre-filter per category: all rules in one automaton would pass the engine's size limit.</summary>
        public Regex[] Filters { get; } = filters;

        public static Regex Filter(IEnumerable<WafRule> category) =>
            new(string.Join("|", category.Select(r => $"(?:{Widen(r.Pattern)})")),
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | RegexOptions.ExplicitCapture);

        /// <summary>Whether the value was found clean before (then it is clean now: the verdict depends on the value only).</summary>
        public bool IsRemembered(string value) => _clean.ContainsKey(value);

        /// <summary>Whether a pre-filter matches one reading of a value (the rules then decide).</summary>
        public bool Suspect(string text)
        {
            foreach (var filter in Filters)
            {
                if (filter.IsMatch(text)) return true;
            }
            return false;
        }

        /// <summary>Remembers a value in which no pre-filter matched any reading.</summary>
        public void RememberClean(string value)
        {
            if (value.Length <= MaxRememberedLength) Remember(value);
        }

        private void Remember(string value)
        {
            if (Interlocked.Increment(ref _cleanCount) > MaxRemembered)
            {
                _clean.Clear();
                Interlocked.Exchange(ref _cleanCount, 1);
            }
            _clean.TryAdd(value, true);
        }

        // Counted repetitions become states of the automaton (it is capped at 10,000 nodes), so long counts widen to * and +.
        private static readonly Regex LongCount = new(@"\{(?<min>\d+),(?<max>\d{2,})\}", RegexOptions.CultureInvariant);

        private static string Widen(string pattern) =>
            LongCount.Replace(BackReference.Replace(pattern, ".*?"), m => m.Groups["min"].Value == "0" ? "*" : "+");

        /// <summary>Compiled expressions are JIT-compiled on first use: at start-up rather than in someone's request.</summary>
        public void WarmUp()
        {
            foreach (var filter in Filters) filter.IsMatch("warm up");
            foreach (var rule in Rules) rule.Regex.IsMatch("warm up");
        }
    }

    /// <summary>A part of the request as findings and exclusions name it ("path", "query:NAME", "header:name"), built only for a finding.</summary>
    private readonly record struct Target(string Part, string? Name = null, bool LowerCase = false)
    {
        public override string ToString() => Name is null ? Part : $"{Part}:{(LowerCase ? Name.ToLowerInvariant() : Name)}";
    }

    /// <summary>One request's scan: which exclusions apply, and matching with them taken into account.</summary>
    private readonly struct Scan(WafInspector inspector, WafExclusion[] exclusions)
    {
        private const int ExcerptLength = 48;

        public WafFinding? Check(WafTargets kind, Target target, string value)
        {
            if (value.Length == 0) return null;
            var set = inspector._sets[kind];
            if (set.IsRemembered(value)) return null;
            var normalized = WafDecoder.Normalize(value);
            var suspect = set.Suspect(normalized);
            if (suspect && Match(set, target, normalized) is { } finding) return finding;
            if (WafDecoder.Variants(normalized) is { } variants)
            {
                foreach (var variant in variants)
                {
                    if (!set.Suspect(variant)) continue;
                    suspect = true;
                    if (Match(set, target, variant) is { } inVariant) return inVariant;
                }
            }
            if (!suspect) set.RememberClean(value);
            return null;
        }

        private WafFinding? Match(RuleSet set, Target target, string text)
        {
            var name = target.ToString();
            foreach (var rule in set.Rules)
            {
                var match = rule.Regex.Match(text);
                if (match.Success && !Excluded(rule.Id, rule.CategoryName, name))
                    return new WafFinding(rule.Id, rule.CategoryName, rule.Paranoia, name, Excerpt(name, match.Value));
            }
            return null;
        }

        public bool Excluded(string ruleId, string category, string target)
        {
            foreach (var exclusion in exclusions)
            {
                var rule = exclusion.Rules.Count == 0 || exclusion.Rules.Any(r => r.Equals(ruleId, StringComparison.OrdinalIgnoreCase) || r.Equals(category, StringComparison.OrdinalIgnoreCase));
                var part = exclusion.Targets.Count == 0 || exclusion.Targets.Any(t => target.Equals(t, StringComparison.OrdinalIgnoreCase)
                    || target.StartsWith(t + ":", StringComparison.OrdinalIgnoreCase));
                if (rule && part) return true;
            }
            return false;
        }

        /// <summary>The matching text, short and printable; nothing from parts named like credentials.</summary>
        private static string Excerpt(string target, string matched)
        {
            if (target.Contains("cookie", StringComparison.OrdinalIgnoreCase) || target.Contains("token", StringComparison.OrdinalIgnoreCase)
                || target.Contains("key", StringComparison.OrdinalIgnoreCase) || target.Contains("pass", StringComparison.OrdinalIgnoreCase)
                || target.Contains("secret", StringComparison.OrdinalIgnoreCase) || target.Contains("auth", StringComparison.OrdinalIgnoreCase)) return "[redacted]";
            var text = matched.Length > ExcerptLength ? matched[..ExcerptLength] : matched;
            return string.Create(text.Length, text, (span, source) =>
            {
                for (var i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) ? '?' : source[i];
            });
        }
    }
}
