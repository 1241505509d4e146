using System.Collections.Concurrent;
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
/// </summary>
internal sealed class ResilienceHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly ConcurrentDictionary<RetryPolicy, ResiliencePipeline<HttpResponseMessage>> Pipelines = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.Options.TryGetValue(RetryPolicy.Key, out var policy) ? SendResilientlyAsync(request, policy, cancellationToken) : base.SendAsync(request, cancellationToken);

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

/// <summary>YARP's client factory with the <see cref="ResilienceHandler"/> in front of its socket handler.</summary>
internal sealed class ResilientForwarderHttpClientFactory : ForwarderHttpClientFactory
{
    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        new ResilienceHandler(base.WrapHandler(context, handler));
}
