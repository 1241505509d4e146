using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Meridian.Gateway.Tests.Waf.Corpus;

/// <summary>One request of the corpus: a family (for rates per family) and what goes on the wire.</summary>
public sealed record WafCase(string Family, string Method, string Target, IReadOnlyDictionary<string, string> Headers, string? Body = null, string? ContentType = null)
{
    public override string ToString() => $"{Family}: {Method} {Target}{(Body is null ? "" : " + body")}";

    /// <summary>The request as the WAF sees it behind Kestrel: raw target, parsed query, headers, a readable body.</summary>
    public HttpContext ToHttpContext()
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = Method;
        var query = Target.IndexOf('?');
        request.Path = new PathString(Uri.UnescapeDataString(query < 0 ? Target : Target[..query]));
        request.QueryString = query < 0 ? QueryString.Empty : new QueryString(Target[query..]);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = Target;
        foreach (var (name, value) in Headers) request.Headers.Append(name, value);
        if (Body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(Body);
            request.Body = new MemoryStream(bytes);
            request.ContentLength = bytes.Length;
            request.ContentType = ContentType;
        }
        return context;
    }

    public static IReadOnlyDictionary<string, string> NoHeaders { get; } = new Dictionary<string, string>();
}
