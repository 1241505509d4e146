namespace Meridian.Hosting.Http;

/// <summary>
/// Decides whether a representation is worth storing: only once its key has been asked for before, as CDNs'
/// "cache on second request" does. Pages and tiles asked for once (random boxes, a crawler, a one-off export) would
/// otherwise fill the cache at the rate they are served and keep the GC copying them, for no hit: with every miss
/// stored, item pages of random boxes had twice the p99 latency of the same server without a cache
/// (bench/RESULTS.md, 2026-11-30).
/// </summary>
/// <remarks>
/// The memory of keys seen is a fixed table of hashes, one per slot, newest wins: a colliding key only delays an
/// admission, and the table's size bounds memory whatever the traffic. It is per process; with a shared Redis the
/// other processes still find what one of them stored.
/// </remarks>
internal sealed class CacheAdmission(bool storeOnFirstRequest)
{
    private const int Slots = 1 << 16;

    private readonly long[] _seen = storeOnFirstRequest ? [] : new long[Slots];

    public bool Admit(string key)
    {
        if (_seen.Length == 0) return true;
        var hash = string.GetHashCode(key.AsSpan());
        // The length as well, so that a zeroed slot never matches, and two keys must agree on more than 32 bits.
        var mark = (long)hash << 32 | (uint)key.Length;
        ref var slot = ref _seen[(uint)hash % Slots];
        if (Volatile.Read(ref slot) == mark) return true;
        Volatile.Write(ref slot, mark);
        return false;
    }
}
