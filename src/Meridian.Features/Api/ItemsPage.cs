using System.Buffers;
using System.Text.Json;
using Meridian.Features.Formats;
using Meridian.Storage;
using Meridian.Storage.Querying;
using NetTopologySuite.Geometries;

namespace Meridian.Features.Api;

/// <summary>What a page of items turned out to hold, for its links and counts.</summary>
public sealed record PageInfo(int Returned, string? FirstId, string? LastId, bool HasNext, bool HasPrevious);

/// <summary>A feature held in memory, for the outputs that need whole rows (HTML).</summary>
public sealed record FeatureRow(string Id, Geometry? Geometry, object?[] Values);

/// <summary>
/// Reads one page from a store reader. Stores return one feature more than the page holds; forward it is the
/// last (there is a next page), backward it is the first (there is a previous page).
/// </summary>
public static class ItemsPage
{
    /// <summary>Streams a page of GeoJSON features into an open "features" array.</summary>
    public static async Task<PageInfo> WriteJsonAsync(IFeatureReader reader, FeatureQuery query, Meridian.Storage.Schema.CollectionSchema schema,
        Utf8JsonWriter writer, Func<Task> flush, CancellationToken ct)
    {
        if (query.Cursor is { Backward: true })
        {
            // A backward page cannot know whether its first row is the extra one until the end: buffer it (at most limit+1).
            var buffered = new List<(string Id, byte[] Json)>();
            var buffer = new ArrayBufferWriter<byte>();
            await using var featureWriter = new Utf8JsonWriter(buffer);
            while (await reader.ReadAsync(ct))
            {
                buffer.ResetWrittenCount();
                featureWriter.Reset(buffer);
                FeatureJson.WriteFeature(featureWriter, reader, schema);
                await featureWriter.FlushAsync(ct);
                buffered.Add((reader.Id, buffer.WrittenSpan.ToArray()));
            }
            var hasPrevious = buffered.Count > query.Limit;
            var page = hasPrevious ? buffered.Skip(1).ToList() : buffered;
            foreach (var (_, json) in page) writer.WriteRawValue(json, skipInputValidation: true);
            return new PageInfo(page.Count, page.FirstOrDefault().Id, page.LastOrDefault().Id, HasNext: true, hasPrevious);
        }

        string? first = null, last = null;
        var returned = 0;
        while (returned < query.Limit && await reader.ReadAsync(ct))
        {
            FeatureJson.WriteFeature(writer, reader, schema);
            first ??= reader.Id;
            last = reader.Id;
            returned++;
            if (writer.BytesPending > 32 * 1024) await flush();
        }
        var hasNext = returned == query.Limit && await reader.ReadAsync(ct);
        return new PageInfo(returned, first, last, hasNext, HasPrevious: query.Cursor is not null);
    }

    /// <summary>Reads a page into memory (bounded by the limit).</summary>
    public static async Task<(List<FeatureRow> Rows, PageInfo Info)> ReadRowsAsync(IFeatureReader reader, FeatureQuery query, int propertyCount, CancellationToken ct)
    {
        var rows = new List<FeatureRow>();
        while (rows.Count <= query.Limit && await reader.ReadAsync(ct))
            rows.Add(new FeatureRow(reader.Id, reader.ReadGeometry(), Enumerable.Range(0, propertyCount).Select(reader.GetValue).ToArray()));
        var extra = rows.Count > query.Limit;
        var backward = query.Cursor is { Backward: true };
        if (extra) rows.RemoveAt(backward ? 0 : rows.Count - 1);
        var info = new PageInfo(rows.Count, rows.FirstOrDefault()?.Id, rows.LastOrDefault()?.Id,
            HasNext: backward || extra, HasPrevious: backward ? extra : query.Cursor is not null);
        return (rows, info);
    }
}
