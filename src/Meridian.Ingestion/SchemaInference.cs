using Meridian.Ingestion.Formats;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Meridian.Ingestion.Formats.GeoJson;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;

namespace Meridian.Ingestion;

/// <summary>
/// Learns a collection schema from every feature of a file (a first streaming pass): the narrowest type
/// that holds all values of each property, and one geometry type or the generic one when they mix.
/// <para>
/// A layer has heights when any of its geometries has one. Its geometries without heights then get a height of 0
/// (<see cref="FeatureConversion.Fitting"/>), as PostGIS's ST_Force3DZ and GDAL give them: a GPX track whose
/// first points have no elevation, or a GeoJSON file mixing 2- and 3-number positions, loads whole and the same
/// into either store, where refusing those records would lose most of such files and keeping them 2D would make
/// a column PostGIS cannot type. A 0 is a value the file did not have, so the ingest report warns of it.
/// </para>
/// </summary>
public sealed partial class SchemaInference
{
    /// <summary>Column names the stores use themselves (GeoPackage fid/geom, PostGIS id/geom).</summary>
    private static readonly HashSet<string> Reserved = new(["fid", "id", "geom"], StringComparer.OrdinalIgnoreCase);

    /// <summary>PostgreSQL's 1,600 columns of a table, less the id and the geometry (SQLite takes 2,000).</summary>
    public const int MaxProperties = 1_598;

    private readonly Dictionary<string, Kinds> _kinds = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private GeometryKind? _geometry;
    private bool _mixedGeometry;
    private bool _hasZ;

    public long Features { get; private set; }

    /// <summary>The first record with a position without a height, when the layer has heights (the ingest warns of it).</summary>
    public long? FirstWithoutHeights => _hasZ ? _firstFlat : null;

    private long? _firstFlat;

    /// <summary>
    /// Counts the observations that changed what <see cref="ToSchema"/> is built from (a new property, a new kind
    /// of value for one, another geometry type): while it stays the same, so does the schema.
    /// </summary>
    public int Changes { get; private set; }

    [Flags]
    private enum Kinds
    {
        None = 0, Boolean = 1, Integer = 2, Number = 4, Date = 8, DateTime = 16, Text = 32, Json = 64,
    }

    public void Observe(SourceFeature feature)
    {
        Features++;
        if (feature.Geometry is { } g)
        {
            var kind = GeometryKinds.Parse(g.GeometryType);
            if (_geometry is null)
            {
                _geometry = kind;
                Changes++;
            }
            else if (_geometry != kind && !_mixedGeometry)
            {
                _mixedGeometry = true;
                Changes++;
            }
            var heights = Heights.Of(g);
            if (heights != HeightsPresent.None && !_hasZ)
            {
                _hasZ = true;
                Changes++;
            }
            if (heights != HeightsPresent.All) _firstFlat ??= feature.Record;
        }
        foreach (var (name, value) in feature.Properties)
        {
            var known = _kinds.TryGetValue(name, out var kinds);
            if (!known)
            {
                // No store could hold more, and names that never repeat would otherwise grow this without bound.
                if (_order.Count == MaxProperties)
                    throw new IngestException(string.Create(CultureInfo.InvariantCulture,
                        $"record {feature.Record}: the file has more than {MaxProperties:N0} properties, more than a table has columns."));
                _order.Add(name);
            }
            var now = kinds | KindOf(value);
            if (known && now == kinds) continue;
            _kinds[name] = now;
            Changes++;
        }
    }

    private static Kinds KindOf(object? value) => value switch
    {
        null => Kinds.None,
        bool => Kinds.Boolean,
        long => Kinds.Integer,
        double => Kinds.Number,
        // The common form first, without the patterns; it is one they accept.
        string s when FeatureConversion.TryParseUtcTimestamp(s, out _) => Kinds.DateTime,
        // The pattern picks the form, the parse rejects impossible values (2021-02-30), which stay text.
        string s when DatePattern().IsMatch(s) && FeatureConversion.TryParseDate(s, out _) => Kinds.Date,
        string s when DateTimePattern().IsMatch(s) && FeatureConversion.TryParseDateTime(s, out _) => Kinds.DateTime,
        string => Kinds.Text,
        _ => Kinds.Json,
    };

    public CollectionSchema ToSchema(string collectionId, string? title = null)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var properties = new List<PropertySchema>();
        var sourceNames = new List<string>();
        foreach (var name in _order)
        {
            properties.Add(new PropertySchema(ColumnName(name, used), TypeOf(_kinds[name])));
            sourceNames.Add(name);
        }
        SourceNames = sourceNames;
        var geometry = _mixedGeometry || _geometry is null ? GeometryKind.Geometry : _geometry.Value;
        var temporal = properties.FirstOrDefault(p => p.Type is PropertyType.DateTime or PropertyType.Date)?.Name;
        return new CollectionSchema(collectionId, title ?? collectionId, null, geometry, GeometryServices.Crs84Srid, FeatureIdKind.Integer, properties, temporal)
        {
            HasZ = _hasZ,
        };
    }

    /// <summary>The file's property names, in the order of the schema's properties (which may have been renamed).</summary>
    public IReadOnlyList<string> SourceNames { get; private set; } = [];

    private static PropertyType TypeOf(Kinds kinds) => kinds switch
    {
        Kinds.None => PropertyType.String,
        Kinds.Boolean => PropertyType.Boolean,
        Kinds.Integer => PropertyType.Integer,
        Kinds.Number or (Kinds.Integer | Kinds.Number) => PropertyType.Number,
        Kinds.Date => PropertyType.Date,
        Kinds.DateTime or (Kinds.Date | Kinds.DateTime) => PropertyType.DateTime,
        Kinds.Json => PropertyType.Other,
        _ => PropertyType.String,
    };

    /// <summary>A column name every store accepts: not reserved, unique ignoring case, at most 63 bytes (PostgreSQL's limit).</summary>
    private static string ColumnName(string name, HashSet<string> used)
    {
        // NUL is the one character no store takes in a name (PostgreSQL, SQLite and Npgsql all refuse it).
        var candidate = name.Length == 0 ? "_" : name.Replace('\0', '_');
        if (Reserved.Contains(candidate)) candidate += "_";
        candidate = Truncate(candidate, 60);
        var unique = candidate;
        for (var n = 2; !used.Add(unique); n++) unique = $"{candidate}_{n.ToString(CultureInfo.InvariantCulture)}";
        return unique;
    }

    private static string Truncate(string s, int maxBytes)
    {
        // Whole characters only: cutting between a surrogate pair would leave half a character.
        while (Encoding.UTF8.GetByteCount(s) > maxBytes) s = s[..^(s.Length > 1 && char.IsLowSurrogate(s[^1]) ? 2 : 1)];
        return s;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")]
    private static partial Regex DateTimePattern();
}
