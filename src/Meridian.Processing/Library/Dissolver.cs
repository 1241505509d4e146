using System.Globalization;
using System.Runtime.CompilerServices;
using Meridian.Processing.Processes;
using Meridian.Storage;
using Meridian.Storage.Schema;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace Meridian.Processing.Library;

/// <summary>
/// Unions geometries into one per value of a property (or one in all). Geometries are unioned in batches as they
/// arrive, so memory holds a group's union so far plus one batch, not every input geometry.
/// </summary>
public static class Dissolver
{
    private const int Batch = 10_000;

    /// <summary>The property to dissolve by, checked against the features' schema; null dissolves everything into one.</summary>
    public static PropertySchema? ByProperty(FeatureSet source, string input, string? name) =>
        name is null ? null
        : source.Properties.FirstOrDefault(p => p.Name == name)
            ?? throw new ProcessInputException(input, $"The input features have no property '{name}' (they have {string.Join(", ", source.Properties.Select(p => p.Name))}).");

    public static FeatureSet Dissolve(FeatureSet source, PropertySchema? by)
    {
        var kind = Shapes.Multi(source.GeometryType);
        return new FeatureSet(by is null ? [] : [by], kind, DissolveAsync(source, by, kind));
    }

    private static async IAsyncEnumerable<FeatureRecord> DissolveAsync(FeatureSet source, PropertySchema? by, GeometryKind kind,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var groups = new Dictionary<string, (object? Value, List<Geometry> Pending)>(StringComparer.Ordinal);
        await foreach (var feature in source.Features.WithCancellation(cancellationToken))
        {
            if (feature.Geometry is not { IsEmpty: false } geometry) continue;
            var value = by is null ? null : feature.Properties.GetValueOrDefault(by.Name);
            var key = value is null ? "" : "=" + Convert.ToString(value, CultureInfo.InvariantCulture);
            if (!groups.TryGetValue(key, out var group)) groups[key] = group = (value, []);
            group.Pending.Add(geometry);
            if (group.Pending.Count >= Batch)
            {
                var union = UnaryUnionOp.Union(group.Pending);
                group.Pending.Clear();
                group.Pending.Add(union);
            }
        }
        var id = 0;
        foreach (var (_, (value, pending)) in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (Shapes.Coerce(UnaryUnionOp.Union(pending), kind) is not { } union) continue;
            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (by is not null) properties[by.Name] = value;
            yield return new FeatureRecord((++id).ToString(CultureInfo.InvariantCulture), union, properties);
        }
    }
}
