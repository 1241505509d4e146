using Meridian.Tiles.Api;
using Microsoft.AspNetCore.Http;

namespace Meridian.Tiles.Tests.Api;

/// <summary>/req/collections-selection/query-collections C: entries are collection ids or this server's collection URLs.</summary>
public sealed class CollectionsSelectionTests
{
    private static HttpRequest Request()
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("maps.example.org");
        context.Request.PathBase = "/geo";
        return context.Request;
    }

    [Theory]
    [InlineData("places", "places")]
    [InlineData("https://maps.example.org/geo/collections/places", "places")]
    [InlineData("https://maps.example.org/geo/collections/places/", "places")]
    [InlineData("HTTPS://MAPS.EXAMPLE.ORG/geo/collections/places", "places")]
    [InlineData("https://maps.example.org/geo/collections/public.roads", "public.roads")]
    [InlineData("https://maps.example.org/geo/collections/my%20places", "my places")]
    public void CollectionId_OfAnIdOrThisServersCollectionUrl(string entry, string id) =>
        Assert.Equal(id, CollectionsSelection.CollectionId(Request(), entry));

    [Theory]
    // Other servers, other resources and anything odd stay as given: no collection has such an id, so it is a 400.
    [InlineData("https://elsewhere.example/geo/collections/places")]
    [InlineData("https://maps.example.org/collections/places")]
    [InlineData("https://maps.example.org/geo/collections/places/items")]
    [InlineData("https://maps.example.org/geo/collections/../admin")]
    [InlineData("https://maps.example.org/geo/collections/places?f=json")]
    [InlineData("https://maps.example.org/geo/collections/")]
    [InlineData("javascript:alert(1)")]
    public void CollectionId_OfAnythingElse_IsTheEntryItself(string entry) =>
        Assert.Equal(entry, CollectionsSelection.CollectionId(Request(), entry));
}
