using System.Runtime.InteropServices;

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
        // Two independent 32-bit hashes (Marvin and xxHash32, each with its own random seed): a one-off key mistaken
        // for a seen one needs both to collide, about once in 2^64 pairs, where 32 bits alone would let one in among
        // every hundred thousand or so keys; a zeroed slot is as unlikely to match.
        var hash = string.GetHashCode(key.AsSpan());
        var other = new HashCode();
        other.AddBytes(MemoryMarshal.AsBytes(key.AsSpan()));
        var mark = (long)hash << 32 | (uint)other.ToHashCode();
        ref var slot = ref _seen[(uint)hash % Slots];
        if (Volatile.Read(ref slot) == mark) return true;
        Volatile.Write(ref slot, mark);
        return false;
    }
}
