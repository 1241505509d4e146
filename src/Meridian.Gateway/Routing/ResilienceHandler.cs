using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Gateway.Routing;

/// <summary>
/// Retries and per-try timeouts (Polly, with Microsoft.Extensions.Http.Resilience's notion of a transient HTTP
/// failure: 5xx, 408, 429, connection errors, timeouts) for requests that carry a <see cref="RetryPolicy"/>.
/// A try that times out on its last attempt becomes a 504 from the gateway.
/// When <paramref name="propagator"/> is given (traces are not exported, so the socket handler has no diagnostics
/// handler of its own), the incoming request's trace context is written on the outgoing request here, once.
/// </summary>
internal sealed class ResilienceHandler(HttpMessageHandler inner, DistributedContextPropagator? propagator) : DelegatingHandler(inner)
{
    private static readonly ConcurrentDictionary<RetryPolicy, ResiliencePipeline<HttpResponseMessage>> Pipelines = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (propagator is not null && Activity.Current is { } activity)
        {
            propagator.Inject(activity, request, static (carrier, name, value) => ((HttpRequestMessage)carrier!).Headers.TryAddWithoutValidation(name, value));
        }
        return request.Options.TryGetValue(RetryPolicy.Key, out var policy) ? SendResilientlyAsync(request, policy, cancellationToken) : base.SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendResilientlyAsync(HttpRequestMessage request, RetryPolicy policy, CancellationToken cancellationToken)
    {
        var pipeline = Pipelines.GetOrAdd(policy, Build);
        try
        {
            return await pipeline.ExecuteAsync(async token => await base.SendAsync(request, token), cancellationToken);
        }
        catch (TimeoutRejectedException)
        {
            return new HttpResponseMessage(HttpStatusCode.GatewayTimeout) { RequestMessage = request };
        }
    }

    private static ResiliencePipeline<HttpResponseMessage> Build(RetryPolicy policy)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (policy.Attempts > 1)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = policy.Attempts - 1,
                Delay = TimeSpan.FromMilliseconds(50),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        }
        if (policy.TryTimeout is { } timeout) builder.AddTimeout(timeout);
        return builder.Build();
    }
}

/// <summary>
/// YARP's client factory with the <see cref="ResilienceHandler"/> in front of its socket handler. When traces are
/// exported, the socket handler's diagnostics handler records a client span per forwarded request and sends its
/// context (YARP's default). When they are not, that handler still created, started and stopped an Activity per
/// forwarded request (it does so whenever the incoming request has one) for nobody to record: it is left out, and
/// the backend gets the incoming request's trace context, written by the <see cref="ResilienceHandler"/>.
/// </summary>
internal sealed class ResilientForwarderHttpClientFactory(bool tracesExported) : ForwarderHttpClientFactory
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        if (!tracesExported) handler.ActivityHeadersPropagator = null;
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        new ResilienceHandler(base.WrapHandler(context, handler), tracesExported ? null : new ReverseProxyPropagator(DistributedContextPropagator.Current));
}
