using System.IO.Compression;

namespace Meridian.Tests.Ingestion;

/// <summary>Files that attack or fool an ingest, written on the spot by name (their content follows the name).</summary>
internal static class HostileFiles
{
    public static async Task WriteAsync(string path)
    {
        switch (Path.GetFileName(path))
        {
            case "bomb.shp.zip":
                // 3 MiB of zeros pack into a few KiB: far beyond the ratio, yet under the total limit.
                await ZipAsync(path, "bomb.shp", new byte[3 * 1024 * 1024]);
                break;
            case "bomb.kmz":
                await ZipAsync(path, "doc.kml", [.. "<kml>"u8, .. Enumerable.Repeat((byte)' ', 3 * 1024 * 1024)]);
                break;
            case "large.shp.zip":
                // Digits barely compress: within the ratio, but 5 MiB unpacked is over the server's 4 MiB.
                var random = new Random(42);
                await ZipAsync(path, "large.dbf", [.. Enumerable.Range(0, 5 * 1024 * 1024).Select(_ => (byte)('0' + random.Next(10)))]);
                break;
            case "table.geojson":
                await File.WriteAllTextAsync(path, "name,lon,lat\nParis,2.35,48.85\n");
                break;
            case "page.shp.zip":
                await File.WriteAllTextAsync(path, "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>");
                break;
            case "binary.shp.zip":
                await File.WriteAllBytesAsync(path, [0x00, 0x01, 0x02, 0xFE, 0xFF, 0x00, 0x10, 0x20]);
                break;
            default:
                throw new ArgumentException($"No hostile file is called '{Path.GetFileName(path)}'.", nameof(path));
        }
    }

    private static async Task ZipAsync(string path, string entryName, byte[] content)
    {
        await using var file = File.Create(path);
        await using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        await using var entry = await zip.CreateEntry(entryName, CompressionLevel.SmallestSize).OpenAsync();
        await entry.WriteAsync(content);
    }
}
