namespace Meridian.Gateway.Tests.Composition;

/// <summary>
/// Waits for something a background loop does (a health probe, another replica's refresh). The deadline only
/// stops a broken test from hanging: it is far beyond how long the wait takes even on a loaded machine.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task<bool> UntilAsync(Func<bool> condition)
    {
        var stop = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > stop) return false;
            await Task.Delay(20);
        }
        return true;
    }
}
