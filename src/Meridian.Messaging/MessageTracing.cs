using System.Diagnostics;

namespace Meridian.Messaging;

/// <summary>
/// W3C trace context in message headers: the publisher's activity travels as <c>traceparent</c>/<c>tracestate</c>,
/// and each delivery runs in a consumer activity whose parent is that context, so one trace spans the request that
/// published the message and the worker that handled it.
/// </summary>
public static class MessageTracing
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    /// <summary>The source of the bus's activities; add it to the tracer to export them.</summary>
    public static readonly ActivitySource Source = new("Meridian.Messaging");

    /// <summary>Starts the publish activity (when someone listens) and returns the headers with its trace context.</summary>
    internal static (Activity? Activity, Dictionary<string, string> Headers) StartPublish(string queue, IReadOnlyDictionary<string, string>? headers)
    {
        var activity = Source.StartActivity($"{queue} publish", ActivityKind.Producer);
        activity?.SetTag("messaging.destination.name", queue);
        var all = headers is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(headers, StringComparer.Ordinal);
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } current)
        {
            all[TraceParent] = current.Id!;
            if (!string.IsNullOrEmpty(current.TraceStateString)) all[TraceState] = current.TraceStateString;
            else all.Remove(TraceState);
        }
        return (activity, all);
    }

    /// <summary>Starts the consumer activity of one delivery, a child of the context its headers carry.</summary>
    internal static Activity? StartProcess(Message message)
    {
        message.Headers.TryGetValue(TraceParent, out var parent);
        message.Headers.TryGetValue(TraceState, out var state);
        ActivityContext.TryParse(parent, state, isRemote: true, out var context);
        var activity = Source.StartActivity($"{message.Queue} process", ActivityKind.Consumer, context);
        activity?.SetTag("messaging.destination.name", message.Queue);
        activity?.SetTag("messaging.message.id", message.Id);
        activity?.SetTag("messaging.delivery.attempt", message.Attempt);
        return activity;
    }
}
