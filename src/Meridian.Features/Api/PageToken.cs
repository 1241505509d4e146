using System.Buffers.Text;
using System.Text;
using Meridian.Hosting.Problems;
using Meridian.Storage.Querying;

namespace Meridian.Features.Api;

/// <summary>The opaque <c>cursor</c> parameter of next/prev links: a direction and a feature id, base64url-encoded.</summary>
public static class PageToken
{
    public const string Parameter = "cursor";

    public static string Encode(PageCursor cursor) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes((cursor.Backward ? "b:" : "a:") + cursor.Key));

    public static PageCursor Decode(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.Length >= 2 && text[1] == ':' && text[0] is 'a' or 'b') return new PageCursor(text[2..], text[0] == 'b');
        }
        catch (FormatException)
        {
        }
        throw ProblemException.InvalidParameter(Parameter, "The cursor is not one this server made: follow the next and prev links as they are.");
    }
}
