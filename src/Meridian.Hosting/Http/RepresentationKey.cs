using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Meridian.Hosting.Http;

/// <summary>
/// Builds the key of a cached representation: its parts written as UTF-8 lines into a pooled buffer and hashed
/// with SHA-256 (so no request can be crafted to land on another's entry) to a short fixed-length string.
/// It is computed for every cacheable request, hits included, so it makes no string but the key itself.
/// </summary>
internal ref struct RepresentationKey
{
    /// <summary>More query parameters than this and the request is not worth caching: it bypasses the cache.</summary>
    public const int MaxQueryParameters = 64;

    private byte[] _buffer;
    private int _length;

    public RepresentationKey()
    {
        _buffer = ArrayPool<byte>.Shared.Rent(512);
    }

    /// <summary>Adds one part, ended by a line break (parts are never confused with each other's text).</summary>
    public void Line(ReadOnlySpan<char> text)
    {
        Add(text);
        Add("\n");
    }

    /// <summary>Adds a part trimmed and in ASCII lower case, for header values that are case-insensitive.</summary>
    public void LowerCaseLine(ReadOnlySpan<char> text)
    {
        var start = _length;
        Add(text.Trim());
        foreach (ref var b in _buffer.AsSpan(start, _length - start))
        {
            if (b is >= (byte)'A' and <= (byte)'Z') b += 'a' - 'A';
        }
        Add("\n");
    }

    /// <summary>Adds <c>name@number</c> as one part.</summary>
    public void Line(ReadOnlySpan<char> name, long number)
    {
        Add(name);
        Add("@");
        Reserve(20);
        Utf8Formatter.TryFormat(number, _buffer.AsSpan(_length), out var written);
        _length += written;
        Add("\n");
    }

    /// <summary>
    /// Adds a raw query string (with or without its <c>?</c>) one parameter per line, ordered by name, the values of
    /// one name keeping their order: the order of distinct names never changes an answer, so it must not split the
    /// cache. False when there are more than <see cref="MaxQueryParameters"/> parameters.
    /// </summary>
    public bool Query(ReadOnlySpan<char> query)
    {
        if (query.StartsWith('?')) query = query[1..];
        if (query.IsEmpty) return true;
        Span<Range> found = stackalloc Range[MaxQueryParameters + 1];
        var parameters = found[..query.Split(found, '&', StringSplitOptions.RemoveEmptyEntries)];
        if (parameters.Length > MaxQueryParameters) return false;
        for (var i = 1; i < parameters.Length; i++)
        {
            // Insertion sort: stable, and the lists are short.
            var current = parameters[i];
            var j = i - 1;
            for (; j >= 0 && Name(query[parameters[j]]).SequenceCompareTo(Name(query[current])) > 0; j--) parameters[j + 1] = parameters[j];
            parameters[j + 1] = current;
        }
        foreach (var parameter in parameters) Line(query[parameter]);
        return true;
    }

    /// <summary>The key: <paramref name="prefix"/> and the Base64 SHA-256 of the parts.</summary>
    public readonly string Finish(string prefix) => Hash(prefix, _buffer.AsSpan(0, _length));

    /// <summary>The key <see cref="Finish(string)"/> with the keys' prefix would make, given by them when they hold it.</summary>
    public readonly string Finish(RecentKeys recent) => recent.KeyOf(_buffer.AsSpan(0, _length));

    /// <summary><paramref name="prefix"/> and the Base64 SHA-256 of <paramref name="parts"/>.</summary>
    public static string Hash(string prefix, ReadOnlySpan<byte> parts)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(parts, hash);
        Span<char> text = stackalloc char[prefix.Length + 44];
        prefix.CopyTo(text);
        Convert.TryToBase64Chars(hash, text[prefix.Length..], out var written);
        return new string(text[..(prefix.Length + written)]);
    }

    /// <summary>Gives the buffer back to its pool; the key cannot be used after.</summary>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
    }

    private static ReadOnlySpan<char> Name(ReadOnlySpan<char> parameter) =>
        parameter.IndexOf('=') is var equals and >= 0 ? parameter[..equals] : parameter;

    private void Add(ReadOnlySpan<char> text)
    {
        Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    private void Reserve(int bytes)
    {
        if (_length + bytes <= _buffer.Length) return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + bytes));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
