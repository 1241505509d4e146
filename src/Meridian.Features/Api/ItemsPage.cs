using System.Buffers;
using System.Text.Json;
using Meridian.Features.Formats;
using Meridian.Storage;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using NetTopologySuite.Geometries;

namespace Meridian.Features.Api;

/// <summary>What a page of items turned out to hold, for its links and counts: where the pages before and after it start.</summary>
public sealed record PageInfo(int Returned, PageCursor? Previous, PageCursor? Next)
{
    public bool HasNext => Next is not null;
}

/// <summary>A feature held in memory, for the outputs that need whole rows (HTML).</summary>
public sealed record FeatureRow(string Id, Geometry? Geometry, object?[] Values);

/// <summary>
/// Reads one page from a store reader. Stores return one feature more than the page holds; forward it is the
/// last (there is a next page), backward it is the first (there is a previous page).
/// </summary>
public static class ItemsPage
{
    /// <summary>Streams a page of GeoJSON features into an open "features" array.</summary>
    public static async Task<PageInfo> WriteJsonAsync(IFeatureReader reader, FeatureQuery query, CollectionSchema schema,
        Utf8JsonWriter writer, Func<Task> flush, CancellationToken ct)
    {
        if (query.Cursor is { Backward: true })
        {
            // A backward page cannot know whether its first row is the extra one until the end: buffer it (at most limit+1).
            var buffered = new List<(PageCursor At, byte[] Json)>();
            var buffer = new ArrayBufferWriter<byte>();
            await using var featureWriter = new Utf8JsonWriter(buffer);
            while (await reader.ReadAsync(ct))
            {
                buffer.ResetWrittenCount();
                featureWriter.Reset(buffer);
                FeatureJson.WriteFeature(featureWriter, reader, schema, properties: query.Properties);
                await featureWriter.FlushAsync(ct);
                buffered.Add((CursorAt(reader.Id, reader.GetValue, query, schema), buffer.WrittenSpan.ToArray()));
            }
            var hasPrevious = buffered.Count > query.Limit;
            var page = hasPrevious ? buffered.Skip(1).ToList() : buffered;
            foreach (var (_, json) in page) writer.WriteRawValue(json, skipInputValidation: true);
            return Info(page.Count, page.FirstOrDefault().At, page.LastOrDefault().At, hasNext: true, hasPrevious);
        }

        PageCursor? first = null, last = null;
        var returned = 0;
        while (returned < query.Limit && await reader.ReadAsync(ct))
        {
            FeatureJson.WriteFeature(writer, reader, schema, properties: query.Properties);
            last = CursorAt(reader.Id, reader.GetValue, query, schema);
            first ??= last;
            returned++;
            if (writer.BytesPending > 32 * 1024) await flush();
        }
        var hasNext = returned == query.Limit && await reader.ReadAsync(ct);
        return Info(returned, first, last, hasNext, hasPrevious: query.Cursor is not null);
    }

    /// <summary>Where a page starts or ends: the feature's id and its sort values, read while the reader is on it.</summary>
    private static PageCursor CursorAt(string id, Func<int, object?> value, FeatureQuery query, CollectionSchema schema) =>
        new(id, Backward: false)
        {
            SortValues = query.SortBy.Count == 0 ? [] : query.SortBy.Select(k => value(IndexOf(schema, k.Property))).ToArray(),
        };

    private static int IndexOf(CollectionSchema schema, PropertySchema property) =>
        schema.Properties.ToList().FindIndex(p => p.Name == property.Name);

    /// <summary>
    /// The page's prev and next cursors. An empty page (a cursor past the last feature: those after it were deleted since
    /// its link was made) has no feature to go back from, so no prev link: the first page is where to start again.
    /// </summary>
    private static PageInfo Info(int returned, PageCursor? first, PageCursor? last, bool hasNext, bool hasPrevious) =>
        new(returned, hasPrevious && first is not null ? first with { Backward = true } : null, hasNext ? last : null);

    /// <summary>Reads a page into memory (bounded by the limit).</summary>
    public static async Task<(List<FeatureRow> Rows, PageInfo Info)> ReadRowsAsync(IFeatureReader reader, FeatureQuery query, CollectionSchema schema, CancellationToken ct)
    {
        var rows = new List<FeatureRow>();
        while (rows.Count <= query.Limit && await reader.ReadAsync(ct))
            rows.Add(new FeatureRow(reader.Id, reader.ReadGeometry(), Enumerable.Range(0, schema.Properties.Count).Select(reader.GetValue).ToArray()));
        var extra = rows.Count > query.Limit;
        var backward = query.Cursor is { Backward: true };
        if (extra) rows.RemoveAt(backward ? 0 : rows.Count - 1);
        PageCursor? At(FeatureRow? row) => row is null ? null : CursorAt(row.Id, i => row.Values[i], query, schema);
        return (rows, Info(rows.Count, At(rows.FirstOrDefault()), At(rows.LastOrDefault()), hasNext: backward || extra,
            hasPrevious: backward ? extra : query.Cursor is not null));
    }
}
