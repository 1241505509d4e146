using System.Collections.Concurrent;
using Meridian.Analytics.Writing;
using Parquet;
using Parquet.Schema;

namespace Meridian.Analytics.Querying;

/// <summary>
/// Whether a file in the lake is one DuckDB can read as events: a Parquet file whose footer reads, with a <c>time</c>
/// and a <c>kind</c> column, and whose columns of known names have the types the writer gives them (a file of another
/// schema, or a truncated or foreign file, would fail the whole query). Files never change, so each answer is kept.
/// </summary>
internal sealed class EventFileCheck
{
    private const int MaxRemembered = 200_000;

    private static readonly Dictionary<string, DataField> Known = EventFile.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, string?> _verdicts = new(StringComparer.Ordinal);

    /// <summary>Null when the file is fine, else why not. <paramref name="identity"/> names this version of it (path and size).</summary>
    public async Task<string?> ProblemAsync(string path, string identity, CancellationToken cancellationToken)
    {
        if (_verdicts.TryGetValue(identity, out var known)) return known;
        var verdict = await ReadAsync(path, cancellationToken);
        if (_verdicts.Count >= MaxRemembered) _verdicts.Clear();
        _verdicts[identity] = verdict;
        return verdict;
    }

    /// <summary>Remembers a file that passed the check but that DuckDB could not read, so that later queries skip it.</summary>
    public void MarkUnreadable(string identity, string reason) => _verdicts[identity] = $"DuckDB could not read it ({reason})";

    private static async Task<string?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken);
            var fields = reader.Schema.GetDataFields();
            if (!fields.Any(f => f.Name == EventFile.Time.Name) || !fields.Any(f => f.Name == EventFile.Kind.Name))
                return "it has no time or kind column: not an events file";
            foreach (var field in fields)
            {
                if (Known.TryGetValue(field.Name, out var expected) && field.ClrType != expected.ClrType)
                    return $"its column '{field.Name}' holds {field.ClrType.Name}, not {expected.ClrType.Name}";
            }
            return null;
        }
        // Whatever a parser throws on bytes it cannot make sense of (its own Thrift errors among them) means the same: not
        // readable. A file that vanished (compacted away) is the caller's business.
        catch (Exception e) when (e is not (OperationCanceledException or FileNotFoundException or DirectoryNotFoundException))
        {
            return $"it is not a readable Parquet file ({e.Message})";
        }
    }
}
