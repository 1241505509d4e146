using System.Collections.Concurrent;
using Microsoft.Net.Http.Headers;

// The cached-tiles peer of bench/tiles/run.sh: bare Kestrel answering each tile address with bytes held in memory,
// the same bytes Meridian serves. It fetches an address from Meridian the first time it is asked for it with that
// Accept-Encoding (the fill pass), then serves it from a dictionary, compressed as Meridian sent it: what serving a cached tile costs on this machine with nothing else in
// the way (no middleware, no cache keys, no policies), measured in the same run as Meridian's cache hits.
//
//   dotnet Meridian.Bench.Tiles.Peer.dll LISTEN_URL MERIDIAN_URL
if (args is not [var listen, var upstream])
{
    Console.Error.WriteLine("usage: Meridian.Bench.Tiles.Peer LISTEN_URL MERIDIAN_URL");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(listen);
var app = builder.Build();
var meridian = new HttpClient { BaseAddress = new Uri(upstream) };
var tiles = new ConcurrentDictionary<(string Path, string AcceptEncoding), Tile>();

app.Run(async context =>
{
    var path = context.Request.Path.Value!;
    var acceptEncoding = context.Request.Headers.AcceptEncoding.ToString();
    if (!tiles.TryGetValue((path, acceptEncoding), out var tile))
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(context.Request.Headers.Accept.ToString());
        if (acceptEncoding.Length > 0) request.Headers.TryAddWithoutValidation(HeaderNames.AcceptEncoding, acceptEncoding);
        using var response = await meridian.SendAsync(request, context.RequestAborted);
        tile = new Tile((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(),
            string.Join(", ", response.Content.Headers.ContentEncoding), await response.Content.ReadAsByteArrayAsync(context.RequestAborted));
        tiles.TryAdd((path, acceptEncoding), tile);
    }
    context.Response.StatusCode = tile.Status;
    if (tile.Status == StatusCodes.Status204NoContent) return;
    context.Response.ContentType = tile.ContentType;
    if (tile.ContentEncoding.Length > 0) context.Response.Headers.ContentEncoding = tile.ContentEncoding;
    context.Response.ContentLength = tile.Body.Length;
    await context.Response.Body.WriteAsync(tile.Body, context.RequestAborted);
});
await app.RunAsync();
return 0;

internal sealed record Tile(int Status, string? ContentType, string ContentEncoding, byte[] Body);
