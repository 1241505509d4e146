using System.IO.Hashing;
using System.Security.Cryptography;

namespace Meridian.Hosting.Http;

/// <summary>
/// Keys made recently, found again by the exact bytes of their parts: a cache hit asks for the same key as the hits
/// before it, and hashing its parts with SHA-256 and making the key's string again was a good part of the CPU and of
/// the garbage of every hit. Only an entry with exactly the same parts answers (a slot is chosen by a fast seeded
/// hash), so a collision costs a SHA-256, never a wrong key: no request can be crafted to reuse another's key.
/// </summary>
/// <remarks>
/// A fixed table, one entry per slot, newest wins, so memory stays bounded whatever the traffic. As the cache's
/// <see cref="CacheAdmission"/> does, a slot takes a key only the second time in a row it is asked for there: keys
/// asked for once (random tiles, one-off queries) would otherwise copy their parts on every request for nothing.
/// </remarks>
internal sealed class RecentKeys(string prefix)
{
    private const int Slots = 4096;

    /// <summary>Longer parts (long queries or Accept headers) are not kept: they repeat less, and would make the table large in bytes.</summary>
    private const int MaxPartsBytes = 1024;

    private readonly long _seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long)));
    private readonly Entry?[] _entries = new Entry?[Slots];
    private readonly long[] _seen = new long[Slots];

    /// <summary>What every key starts with, e.g. <c>http:</c>.</summary>
    public string Prefix { get; } = prefix;

    /// <summary>The key of these parts, as <see cref="RepresentationKey.Hash"/> makes it with <see cref="Prefix"/>.</summary>
    public string KeyOf(ReadOnlySpan<byte> parts)
    {
        var hash = (long)XxHash3.HashToUInt64(parts, _seed);
        var slot = (int)((ulong)hash % Slots);
        if (Volatile.Read(ref _entries[slot]) is { } entry && parts.SequenceEqual(entry.Parts)) return entry.Key;
        var key = RepresentationKey.Hash(Prefix, parts);
        if (parts.Length <= MaxPartsBytes && Interlocked.Exchange(ref _seen[slot], hash) == hash)
            Volatile.Write(ref _entries[slot], new Entry(parts.ToArray(), key));
        return key;
    }

    private sealed record Entry(byte[] Parts, string Key);
}
