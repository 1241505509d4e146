using System.Collections.Concurrent;

namespace Meridian.Messaging;

/// <summary>The handlers a consumer is running, so that stopping it can wait for them to settle or abandon their messages.</summary>
internal sealed class InFlight
{
    private readonly ConcurrentDictionary<Task, byte> _tasks = new();

    /// <summary>Tracks the task until it ends; the returned task ends with it and never faults.</summary>
    public Task Track(Task task)
    {
        _tasks[task] = 0;
        return task.ContinueWith(t => _tasks.TryRemove(t, out byte _), TaskScheduler.Default);
    }

    public Task WhenAll() => Task.WhenAll(_tasks.Keys);
}
