using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Problems;

/// <summary>
/// Marks a response whose body is being streamed. Bytes may sit in the response pipe before the headers go
/// out, so <c>HttpResponse.HasStarted</c> alone cannot tell that an error came too late for a problem body.
/// </summary>
public static class ResponseStreaming
{
    private static readonly object Key = new();

    public static void Start(HttpContext context) => context.Items[Key] = true;

    public static bool HasStarted(HttpContext context) => context.Items.ContainsKey(Key);
}
