using System.Diagnostics.Metrics;
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
    }

    private RequestMetricsMiddleware Middleware(RequestDelegate next) => new(next, new GeospatialMetrics(_services.GetRequiredService<IMeterFactory>()));

    private static DefaultHttpContext Context()
    {
        var context = new DefaultHttpContext { Request = { Method = "GET" } };
        context.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/collections/{collectionId}"), 0, null, null));
        return context;
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
