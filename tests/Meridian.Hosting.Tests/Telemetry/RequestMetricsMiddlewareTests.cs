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

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
