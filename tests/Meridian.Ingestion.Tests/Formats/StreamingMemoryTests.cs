using System.Text;
using Meridian.Ingestion.Formats;

namespace Meridian.Ingestion.Tests.Formats;

[CollectionDefinition(nameof(StreamingMemoryTests), DisableParallelization = true)]
public sealed class StreamingMemoryCollection;

/// <summary>
/// The text readers stream: half-way through a file of 30 MB or more, the live heap holds a small part of it. A reader that
/// loaded the file would hold at least its size (twice that as .NET strings). Not run in parallel with other tests,
/// whose allocations would be counted too.
/// </summary>
[Collection(nameof(StreamingMemoryTests))]
public sealed class StreamingMemoryTests
{
    private const int Rows = 400_000;

    [Theory]
    [InlineData("big.csv")]
    [InlineData("big.geojsonl")]
    [InlineData("big.geojson")]
    public async Task Read_LargeFile_LiveHeapStaysFarBelowTheFileSize(string name)
    {
        using var folder = new TempFolder();
        var path = Write(Path.Combine(folder.Path, name));
        var size = new FileInfo(path).Length;
        Assert.True(size > 30_000_000, $"the test file is only {size} bytes");
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long during = 0;
        var count = 0;

        await using (var file = await FeatureFormats.Detect(path).OpenAsync(path, new SourceOptions(), CancellationToken.None))
        {
            await foreach (var feature in file.Layers[0].ReadAsync(CancellationToken.None))
            {
                if (++count == Rows / 2) during = GC.GetTotalMemory(forceFullCollection: true);
            }
        }

        Assert.Equal(Rows, count);
        Assert.True(during - before < size / 4, $"{during - before:N0} bytes live half-way through a {size:N0}-byte file");
    }

    private static string Write(string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        var padding = new string('p', 60);
        var csv = path.EndsWith(".csv", StringComparison.Ordinal);
        var collection = path.EndsWith(".geojson", StringComparison.Ordinal);
        writer.Write(csv ? "lon,lat,name,note\n" : collection ? "{\"type\":\"FeatureCollection\",\"features\":[\n" : "");
        for (var i = 0; i < Rows; i++)
        {
            var x = (i % 360) - 180 + 0.5;
            var y = (i % 170) - 85 + 0.25;
            writer.Write(csv
                ? $"{x},{y},place {i},{padding}\n"
                : $"{(collection && i > 0 ? "," : "")}{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{x},{y}]}},\"properties\":{{\"name\":\"place {i}\",\"note\":\"{padding}\"}}}}\n");
        }
        writer.Write(collection ? "]}" : "");
        return path;
    }
}
