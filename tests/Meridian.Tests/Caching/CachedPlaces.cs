using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Meridian.Storage;
using Meridian.Tests.Composition;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Tests.Caching;

/// <summary>
/// A PostGIS table of places that tests change behind Meridian's back (plain SQL), as another writer would, and
/// the requests whose answers show whether a change is visible: the features of one tile and of one page.
/// </summary>
public static class CachedPlaces
{
    public const string Collection = "places";
    public const string Tile = $"/collections/{Collection}/tiles/WebMercatorQuad/0/0/0";
    public const string Page = $"/collections/{Collection}/items?limit=1000";

    /// <summary>The cache status header Meridian sends on cached routes: hit, miss or bypass.</summary>
    public const string CacheStatus = "X-Cache";

    public static async Task<PostGisTestDatabase> CreateAsync(int count)
    {
        var database = await PostGisTestDatabase.CreateAsync();
        await database.ExecuteAsync($"""
            CREATE TABLE places (id integer PRIMARY KEY, name text NOT NULL, geom geometry(Point, 4326) NOT NULL);
            INSERT INTO places SELECT i, 'place ' || i, ST_SetSRID(ST_MakePoint(i % 360 - 179.5, i % 170 - 84.5), 4326)
              FROM generate_series(1, {count}) i;
            CREATE INDEX ON places USING gist (geom);
            """);
        return database;
    }

    /// <summary>Adds a place with SQL only: no cache knows of it until its collection's version is bumped.</summary>
    public static Task AddAsync(PostGisTestDatabase database, int id) =>
        database.ExecuteAsync($"INSERT INTO places VALUES ({id}, 'added', ST_SetSRID(ST_MakePoint(10, 10), 4326))");

    /// <summary>
    /// Replaces the table as an ingest in replace mode does (a new table, with <paramref name="column"/> added, takes the
    /// old one's name in one transaction; schema named, as Meridian's own schema comes first in the search path), filling the new column with <paramref name="value"/>.
    /// </summary>
    public static Task ReplaceAsync(PostGisTestDatabase database, string column, string value) =>
        database.ExecuteAsync($"""
            BEGIN;
            CREATE TABLE public.places_staging (id integer PRIMARY KEY, name text NOT NULL, {column}, geom geometry(Point, 4326) NOT NULL);
            INSERT INTO public.places_staging SELECT id, name, {value}, geom FROM public.places;
            DROP TABLE public.places;
            ALTER TABLE public.places_staging RENAME TO places;
            COMMIT;
            """);

    /// <summary>What a writer does once its change committed.</summary>
    public static async Task BumpAsync(MeridianServer server) =>
        await server.Services.GetRequiredService<ICollectionVersions>().BumpAsync(Collection, CancellationToken.None);

    /// <summary>
    /// Every representation stored on its first request: these tests are about what is cached and when it stops being
    /// seen; the default admission (stored on the second request) has its own test.
    /// </summary>
    public static Dictionary<string, string?> Settings(PostGisTestDatabase database) => new()
    {
        ["Meridian:PostGis:ConnectionString"] = database.ConnectionString,
        ["Meridian:Cache:StoreOnFirstRequest"] = "true",
    };

    /// <summary>A GET with the headers a client would send; the Host is fixed so that servers share cache entries, as behind one load balancer.</summary>
    public static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? ifNoneMatch = null, string? acceptEncoding = null,
        HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, url);
        request.Headers.Host = "meridian.test";
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(ifNoneMatch));
        if (acceptEncoding is not null) request.Headers.AcceptEncoding.ParseAdd(acceptEncoding);
        return await client.SendAsync(request);
    }

    public static string? Status(HttpResponseMessage response) =>
        response.Headers.TryGetValues(CacheStatus, out var values) ? values.Single() : null;

    /// <summary>How many places the tile shows, and its cache status.</summary>
    public static async Task<(int Count, string? Status)> TileAsync(HttpClient client)
    {
        using var response = await GetAsync(client, Tile);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (Testing.Mvt.Decode(await response.Content.ReadAsByteArrayAsync())[Collection].Count, Status(response));
    }

    /// <summary>How many places the page shows, and its cache status.</summary>
    public static async Task<(int Count, string? Status)> PageAsync(HttpClient client)
    {
        using var response = await GetAsync(client, Page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (page["features"]!.AsArray().Count, Status(response));
    }
}
