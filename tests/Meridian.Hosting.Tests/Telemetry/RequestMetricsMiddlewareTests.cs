using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Claims;
using Meridian.Hosting.Analytics;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Hosting.Tests.Telemetry;

public sealed class RequestMetricsMiddlewareTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly List<Dictionary<string, object?>> _requests = [];

    public RequestMetricsMiddlewareTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "geospatial_requests") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (_requests) _requests.Add(tags.ToArray().ToDictionary(t => t.Key, t => t.Value));
        });
        _listener.Start();
        _analytics = new AnalyticsEvents(new MeridianOptions(), factory);
    }

    private readonly AnalyticsEvents _analytics;

    private RequestMetricsMiddleware Middleware(RequestDelegate next) => new(next, new GeospatialMetrics(_services.GetRequiredService<IMeterFactory>()), _analytics);

    private static DefaultHttpContext Context()
    {
        var context = new DefaultHttpContext { Request = { Method = "GET" } };
        context.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/collections/{collectionId}"), 0, null, null));
        context.Request.RouteValues["collectionId"] = "parks";
        return context;
    }

    /// <summary>What UseExceptionHandler does before it writes the problem of an exception.</summary>
    private static void ClearedByTheExceptionHandler(HttpContext context)
    {
        context.SetEndpoint(null);
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IRouteValuesFeature>()!.RouteValues = new RouteValueDictionary();
    }

    [Fact]
    public async Task ARequestTurnedIntoAProblem_IsRecordedUnderTheRouteThatRaisedIt()
    {
        await Middleware(c => { ClearedByTheExceptionHandler(c); c.Response.StatusCode = 400; return Task.CompletedTask; }).InvokeAsync(Context());

        Assert.Equal("/collections/{collectionId}", Assert.Single(_requests)["endpoint"]);
        Assert.True(_analytics.Reader.TryRead(out var recorded));
        Assert.Equal("parks", recorded.Collection);
        Assert.Equal(400, recorded.Status);
    }

    [Fact]
    public async Task ARequest_IsAnAnalyticsEvent_WithItsCallerByTenantAndKeyIdOnly()
    {
        var context = Context();
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("tenant", "acme"), new Claim("key_id", "a1b2c3"), new Claim("scope", "read")], "ApiKey"));
        context.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.23");
        context.Request.Headers["X-API-Key"] = "mrd_a1b2c3_secret";

        await Middleware(c => { c.Response.StatusCode = 200; c.Response.ContentLength = 512; return Task.CompletedTask; }).InvokeAsync(context);

        Assert.True(_analytics.Reader.TryRead(out var recorded));
        Assert.Equal(AnalyticsEventKind.Request, recorded.Kind);
        Assert.Equal(("GET", "/collections/{collectionId}", "parks", 200, 512L), (recorded.Method, recorded.Route, recorded.Collection, recorded.Status, recorded.Bytes));
        Assert.Equal(("acme", "a1b2c3"), (recorded.Tenant, recorded.KeyId));
        Assert.Equal(IPAddress.Parse("198.51.100.23"), recorded.Client);
        Assert.Equal(DateTimeKind.Utc, recorded.Time.Kind);
    }

    [Fact]
    public async Task ARequestFor404_DoesNotRecordTheCollectionItNamed()
    {
        var context = Context();
        context.Request.RouteValues["collectionId"] = new string('x', 10_000);

        await Middleware(c => { c.Response.StatusCode = 404; return Task.CompletedTask; }).InvokeAsync(context);

        Assert.True(_analytics.Reader.TryRead(out var recorded));
        Assert.Null(recorded.Collection);
    }

    [Fact]
    public async Task ALongRouteValue_IsCut()
    {
        var context = Context();
        context.Request.RouteValues["collectionId"] = new string('x', 10_000);

        await Middleware(_ => Task.CompletedTask).InvokeAsync(context);

        Assert.True(_analytics.Reader.TryRead(out var recorded));
        Assert.Equal(128, recorded.Collection!.Length);
    }

    [Fact]
    public async Task ARequestDoneSynchronously_IsRecordedOnce_WithItsRouteAndStatus()
    {
        await Middleware(c => { c.Response.StatusCode = 304; return Task.CompletedTask; }).InvokeAsync(Context());

        var request = Assert.Single(_requests);
        Assert.Equal("GET", request["method"]);
        Assert.Equal("/collections/{collectionId}", request["endpoint"]);
        Assert.Equal(304, request["status"]);
    }

    [Fact]
    public async Task ARequestDoneLater_IsRecordedOnceItIsDone()
    {
        var gate = new TaskCompletionSource();
        var running = Middleware(async c => { await gate.Task; c.Response.StatusCode = 201; }).InvokeAsync(Context());

        Assert.Empty(_requests);
        gate.SetResult();
        await running;

        Assert.Equal(201, Assert.Single(_requests)["status"]);
    }

    [Fact]
    public async Task ARequestThatThrows_SynchronouslyOrLater_IsRecordedToo()
    {
        RequestDelegate throwsAtOnce = _ => throw new InvalidOperationException("at once");
        RequestDelegate throwsLater = async _ => { await Task.Yield(); throw new InvalidOperationException("later"); };

        await Assert.ThrowsAsync<InvalidOperationException>(() => Middleware(throwsAtOnce).InvokeAsync(Context()));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Middleware(throwsLater).InvokeAsync(Context()));

        Assert.Equal(2, _requests.Count);
    }

    // The method is whatever the client sent: as a label it would give an attacker a new series (and a histogram's worth of
    // buckets) per request. Kestrel interns the standard methods in upper case; anything else is one "OTHER" series, as
    // OpenTelemetry's HTTP conventions have it (_OTHER).
    [Theory]
    [InlineData("GET", "GET")]
    [InlineData("delete", "DELETE")]
    [InlineData("PROPFIND", "OTHER")]
    [InlineData("xyz29557", "OTHER")]
    public async Task The_method_label_is_one_of_the_standard_methods_or_other(string method, string label)
    {
        var context = Context();
        context.Request.Method = method;

        await Middleware(_ => Task.CompletedTask).InvokeAsync(context);

        Assert.Equal(label, Assert.Single(_requests)["method"]);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
