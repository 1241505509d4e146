using Meridian.Analytics.Writing;

namespace Meridian.Analytics.Tests;

/// <summary>Files a lake should never hold, as the tests put them there.</summary>
internal static class HostileFiles
{
    /// <summary>Not Parquet, though it starts and ends like Parquet.</summary>
    public static byte[] Garbage => "PAR1 garbage that ends like Parquet PAR1"u8.ToArray();

    /// <summary>
    /// An events file of 5,000 requests at <paramref name="time"/> whose data pages are scrambled: the footer (at the end)
    /// stays whole, so the file passes the footer check, and DuckDB fails reading its pages.
    /// </summary>
    public static async Task<byte[]> CorruptPagesAsync(DateTime time)
    {
        using var file = new MemoryStream();
        await EventFile.WriteAsync(Enumerable.Range(0, 5000).Select(i => Events.Request(time, "/b" + i, 200, i)).ToArray(), "all", "damaged-1", file,
            CancellationToken.None);
        var bytes = file.ToArray();
        for (var i = 64; i < bytes.Length / 2; i++) bytes[i] ^= 0x5A;
        return bytes;
    }
}
