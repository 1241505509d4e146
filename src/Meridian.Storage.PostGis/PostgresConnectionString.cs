using System.Globalization;
using System.Text;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>
/// Accepts either an Npgsql keyword string or a libpq-style URL (<c>postgres://</c> or <c>postgresql://</c>), the
/// form most hosting providers hand out, and returns a keyword string. Error messages never quote any part of
/// a URL: a misplaced character can put a piece of the password anywhere in it.
/// </summary>
internal static class PostgresConnectionString
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly string[] Schemes = ["postgresql://", "postgres://"];

    // libpq's sslmode values, spelled the way Npgsql's SslMode enum names them.
    private static readonly Dictionary<string, string> SslModes = new(StringComparer.Ordinal)
    {
        ["disable"] = "Disable",
        ["allow"] = "Allow",
        ["prefer"] = "Prefer",
        ["require"] = "Require",
        ["verify-ca"] = "VerifyCA",
        ["verify-full"] = "VerifyFull",
    };

    // URL query parameters (libpq names) and the Npgsql keyword each one sets.
    private static readonly Dictionary<string, string> Parameters = new(StringComparer.Ordinal)
    {
        ["user"] = "Username",
        ["password"] = "Password",
        ["dbname"] = "Database",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["options"] = "Options",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslrootcert"] = "Root Certificate",
        ["target_session_attrs"] = "Target Session Attributes",
    };

    public static string ToNpgsql(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var text = connectionString.Trim();
        var scheme = Schemes.FirstOrDefault(s => text.StartsWith(s, StringComparison.OrdinalIgnoreCase));
        if (scheme is null)
        {
            if (LooksLikeUrl(text))
                throw Invalid("the URL scheme must be postgres:// or postgresql://");
            return connectionString;
        }
        return FromUrl(text[scheme.Length..]);
    }

    private static bool LooksLikeUrl(string text)
    {
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        return separator > 0 && text[..separator].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
    }

    private static string FromUrl(string rest)
    {
        if (rest.Contains('#'))
            throw Invalid("it has a fragment ('#'); percent-encode '#' in the user name or password as %23");
        if (rest.Any(char.IsWhiteSpace))
            throw Invalid("it contains whitespace");

        var queryStart = rest.IndexOf('?');
        var query = queryStart < 0 ? "" : rest[(queryStart + 1)..];
        var beforeQuery = queryStart < 0 ? rest : rest[..queryStart];
        var pathStart = beforeQuery.IndexOf('/');
        var authority = pathStart < 0 ? beforeQuery : beforeQuery[..pathStart];
        var path = pathStart < 0 ? "" : beforeQuery[(pathStart + 1)..];

        var builder = new NpgsqlConnectionStringBuilder();
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            var colon = userInfo.IndexOf(':');
            var user = Decode(colon < 0 ? userInfo : userInfo[..colon], "user name");
            if (user.Length > 0) builder.Username = user;
            if (colon >= 0) builder.Password = Decode(userInfo[(colon + 1)..], "password");
        }
        SetHosts(builder, at < 0 ? authority : authority[(at + 1)..]);

        if (path.Contains('/'))
            throw Invalid("the path must be a single database name");
        var database = Decode(path, "database name");
        if (database.Length > 0) builder.Database = database;

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            SetParameter(builder, pair);

        if (string.IsNullOrEmpty(builder.Host))
            throw Invalid("it names no host");
        return builder.ConnectionString;
    }

    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string hostList)
    {
        if (hostList.Length == 0) return;
        var hosts = hostList.Split(',').Select(SplitHostPort).ToList();
        if (hosts is [var (host, port)])
        {
            builder.Host = host;
            if (port is not null) builder.Port = port.Value;
            return;
        }
        // Npgsql takes several hosts, each with its own port, in one comma-separated Host value.
        builder.Host = string.Join(',', hosts.Select(h =>
        {
            var name = h.Host.Contains(':') ? $"[{h.Host}]" : h.Host;
            return h.Port is null ? name : $"{name}:{h.Port}";
        }));
    }

    private static (string Host, int? Port) SplitHostPort(string entry)
    {
        string host, portText;
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']');
            if (close < 0) throw Invalid("an IPv6 host is missing its closing ']'");
            host = entry[1..close];
            var after = entry[(close + 1)..];
            if (after.Length > 0 && after[0] != ':') throw Invalid("an IPv6 host must be followed by ':port' or nothing");
            portText = after.Length > 0 ? after[1..] : "";
        }
        else
        {
            var colon = entry.IndexOf(':');
            host = Decode(colon < 0 ? entry : entry[..colon], "host name");
            portText = colon < 0 ? "" : entry[(colon + 1)..];
            if (portText.Contains(':')) throw Invalid("a host has more than one ':'");
        }
        if (host.Length == 0) throw Invalid("a host name is empty");
        if (portText.Length == 0) return (host, null);
        return (host, ParsePort(portText));
    }

    private static int ParsePort(string text) =>
        text.All(char.IsAsciiDigit) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw Invalid("the port is not a number between 1 and 65535");

    private static void SetParameter(NpgsqlConnectionStringBuilder builder, string pair)
    {
        var equals = pair.IndexOf('=');
        if (equals <= 0) throw Invalid("a query parameter is not of the form name=value");
        var name = Decode(pair[..equals], "query parameter name");
        var value = Decode(pair[(equals + 1)..], "query parameter value");
        switch (name)
        {
            case "sslmode":
                builder["SSL Mode"] = SslModes.TryGetValue(value, out var mode)
                    ? mode
                    : throw Invalid("sslmode must be one of " + string.Join(", ", SslModes.Keys));
                break;
            case "host":
                SetHosts(builder, value);
                break;
            case "port":
                builder.Port = ParsePort(value);
                break;
            case "connect_timeout":
                builder.Timeout = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                    ? seconds
                    : throw Invalid("connect_timeout must be a whole number of seconds");
                break;
            default:
                // Parameter names are ours to echo; only values can hold secrets.
                builder[Parameters.TryGetValue(name, out var keyword) ? keyword : throw Invalid($"the query parameter '{Printable(name)}' is not supported")] = value;
                break;
        }
    }

    /// <summary>Strict percent-decoding: a '%' must start two hex digits, and the bytes must be UTF-8.</summary>
    private static string Decode(string text, string part)
    {
        if (!text.Contains('%')) return text;
        var bytes = new List<byte>(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var percent = text.IndexOf('%', i);
            var runEnd = percent < 0 ? text.Length : percent;
            bytes.AddRange(Encoding.UTF8.GetBytes(text[i..runEnd]));
            if (percent < 0) break;
            if (percent + 2 >= text.Length
                || !byte.TryParse(text.AsSpan(percent + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                throw Invalid($"the {part} has a '%' that is not followed by two hex digits");
            bytes.Add(b);
            i = percent + 3;
        }
        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw Invalid($"the {part} is not valid UTF-8 once percent-decoded");
        }
    }

    private static string Printable(string name) =>
        name.Length <= 40 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? name : "(unprintable)";

    private static ArgumentException Invalid(string problem) =>
        new($"The PostgreSQL connection URL is invalid: {problem}.", "ConnectionString");
}
