using System.Globalization;
using Meridian.Storage.PostGis.Filtering;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.PostGis;

/// <summary>
/// The SQL of a collection's reads. Every read selects the id as text, the geometry as GeoJSON in the output CRS and the
/// properties in schema order, each cast to the one type the reader expects.
/// </summary>
internal sealed class FeatureSql
{
    private readonly PostGisRelation _relation;
    private readonly string _id;
    private readonly string _orderKey;
    private readonly string _geometry;
    private readonly string[] _properties;

    public FeatureSql(PostGisRelation relation)
    {
        _relation = relation;
        _id = relation.IdColumn.Quoted;
        _geometry = relation.QuotedGeometry;
        // Qualified, because a bare name in ORDER BY means the output column: the id cast to text.
        _orderKey = $"{relation.QuotedName}.{_id}";
        _properties = relation.Columns.Select(Read).ToArray();
    }

    private bool NeedsTransform => _relation.Srid is not (4326 or 0);

    /// <summary>The SRID the rows are in; a column without one is taken as CRS84, as the port promises.</summary>
    private int StorageSrid => _relation.Srid == 0 ? 4326 : _relation.Srid;

    private string[] Select(SqlParameters parameters, Crs crs) => [$"{_id}::text", GeoJson(parameters, crs), .. _properties];

    /// <summary>
    /// Whether rows for <paramref name="crs"/> carry CRS84 GeoJSON that the reader projects (<see cref="Crs.FromCrs84"/>):
    /// Web Mercator from any other storage CRS, so that latitudes beyond its ±85.0511° are clamped onto the edge of
    /// its square as in the embedded store and the processes; PostGIS's ST_Transform has no such clamp (Antarctica's
    /// -90° comes out at y = -2.4e8 m). Other CRSs are projected by PostGIS.
    /// </summary>
    public bool ProjectsInReader(Crs crs) => crs.Srid == WebMercator.Srid && StorageSrid != WebMercator.Srid;

    /// <summary>
    /// The geometry as GeoJSON in the output CRS: transformed only when it differs from the storage CRS (CRS84 from
    /// a table in 4326 is written as stored), its axes flipped when the CRS puts north first (EPSG:4326, 3035...).
    /// </summary>
    private string GeoJson(SqlParameters parameters, Crs crs)
    {
        if (ProjectsInReader(crs)) crs = CrsRegistry.Crs84;
        var geometry = _geometry;
        if (crs.Srid != StorageSrid)
        {
            var source = _relation.Srid == 0 ? $"ST_SetSRID({_geometry}, 4326)" : _geometry;
            geometry = $"ST_Transform({source}, {parameters.Add(crs.Srid)})";
        }
        if (crs.NorthingFirst) geometry = $"ST_FlipCoordinates({geometry})";
        // Empty geometries leave the port as null, as GeoJSON has no empty form for most types.
        return $"ST_AsGeoJSON(CASE WHEN ST_IsEmpty({_geometry}) THEN NULL ELSE {geometry} END, {crs.Decimals}, 0)";
    }

    /// <summary>
    /// A page of features in the query's order (the id's when it has no sort), or null when the query cannot
    /// match anything (a cursor key that is no valid id). Going backward takes the last rows before the cursor
    /// and turns them around.
    /// </summary>
    public string? Page(SqlParameters parameters, FeatureQuery query)
    {
        var conditions = Filters(parameters, query);
        var keyset = Keyset(query);
        if (query.Cursor is { } cursor)
        {
            if (!TryAddId(parameters, cursor.Key, out var key)) return null;
            conditions.Add(query.SortBy.Count == 0
                ? (cursor.Backward ? $"{_id} < {key}" : $"{_id} > {key}")
                : keyset.Beyond([.. cursor.SortValues.Select(v => v is null ? null : AddValue(parameters, v)), key], cursor.Backward));
        }
        var limit = parameters.Add(Math.Max(0L, query.Limit) + 1);
        var from = $"FROM {_relation.QuotedName}{Where(conditions)}";
        var select = Select(parameters, query.OutputCrs).Select((e, i) => i < 2 || query.Reads(_relation.Columns[i - 2].Name) ? e : "NULL").ToList();
        // The GiST scan already visits every match of the bbox to sort them by id: counting them there is
        // almost free, where a separate count would scan the index again.
        var count = query.CountsWithPage ? ", count(*) OVER ()" : "";
        if (query.Cursor is not { Backward: true })
            return $"SELECT {string.Join(", ", select)}{count} {from} ORDER BY {keyset.OrderBy(reverse: false)} LIMIT {limit}";

        var aliased = string.Join(", ", select.Select((e, i) => $"{e} AS c{i}"));
        var outer = string.Join(", ", select.Select((_, i) => $"page.c{i}"));
        var keys = string.Join(", ", keyset.Keys.Select((k, i) => $"{k.Sql} AS k{i}"));
        return $"SELECT {outer} FROM (SELECT {aliased}, {keys} {from} ORDER BY {keyset.OrderBy(reverse: true)} LIMIT {limit}) AS page "
            + $"ORDER BY {keyset.Renamed(i => $"page.k{i}").OrderBy(reverse: false)}";
    }

    /// <summary>The sort keys as the reader sees their values (strings in code point order, as in SQLite), then the id.</summary>
    private Keyset Keyset(FeatureQuery query) => new(
    [
        .. query.SortBy.Select(k =>
        {
            var column = _relation.FindColumn(k.Property.Name)
                ?? throw new ArgumentException($"Collection '{_relation.Schema.Id}' has no property '{k.Property.Name}'.", nameof(query));
            var read = Read(column);
            return (column.Type == PropertyType.String ? $"{read} COLLATE \"C\"" : read, k.Descending);
        }),
        (_orderKey, false),
    ]);

    /// <summary>A value as IFeatureReader returns it, bound with its own type.</summary>
    private static string AddValue(SqlParameters parameters, object value) => value switch
    {
        string s => parameters.Add(s),
        long l => parameters.Add(l),
        double d => parameters.Add(d),
        bool b => parameters.Add(b),
        DateOnly d => parameters.Add(d),
        DateTimeOffset t => parameters.Add(t.ToUniversalTime()),
        _ => throw new ArgumentException($"A cursor cannot hold a {value.GetType().Name}.", nameof(value)),
    };

    /// <summary>
    /// Every row in id order with the geometry as it is stored (read as an object through Npgsql's NetTopologySuite
    /// plugin, every digit kept): one statement, so one snapshot of the table (<see cref="IFeatureSnapshotSource"/>).
    /// </summary>
    public string Snapshot() =>
        $"SELECT {string.Join(", ", [$"{_id}::text", _geometry, .. _properties])} FROM {_relation.QuotedName} ORDER BY {_orderKey}";

    public string Count(SqlParameters parameters, FeatureQuery query) =>
        $"SELECT count(*) FROM {_relation.QuotedName}{Where(parameters, query)}";

    /// <summary>The WHERE clause (with its leading space) of the query's bbox, time, equality and filter conditions, or "".</summary>
    public string Where(SqlParameters parameters, FeatureQuery query) => Where(Filters(parameters, query));

    /// <summary>The one feature with this id in <paramref name="crs"/>, or null when the text cannot be an id of this collection.</summary>
    public string? Single(SqlParameters parameters, string featureId, Crs crs) =>
        TryAddId(parameters, featureId, out var key)
            ? $"SELECT {string.Join(", ", Select(parameters, crs))} FROM {_relation.QuotedName} WHERE {_id} = {key}"
            : null;

    /// <summary>The CRS84 extent as xmin, ymin, xmax, ymax (all null when the relation is empty).</summary>
    public string Extent()
    {
        var extent = $"ST_Extent({_geometry})";
        var box = NeedsTransform ? $"ST_Transform(ST_SetSRID({extent}::geometry, {Srid}), 4326)" : extent;
        return $"SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (SELECT {box} AS b FROM {_relation.QuotedName}) AS e";
    }

    /// <summary>The first and last value of the temporal property as timestamptz (dates and timestamps taken as UTC).</summary>
    public string TemporalExtent(PostGisColumn temporal)
    {
        // min and max of the bare column, so that an index on it can answer them.
        string Utc(string aggregate) => temporal.PgType switch
        {
            "date" => $"({aggregate}({temporal.Quoted})::timestamp AT TIME ZONE 'UTC')",
            "timestamp" => $"({aggregate}({temporal.Quoted}) AT TIME ZONE 'UTC')",
            _ => $"{aggregate}({temporal.Quoted})",
        };
        return $"SELECT {Utc("min")}, {Utc("max")} FROM {_relation.QuotedName}";
    }

    private string Srid => _relation.Srid.ToString(CultureInfo.InvariantCulture);

    private static string Where(List<string> conditions) =>
        conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);

    /// <summary>A column cast to the CLR type IFeatureReader promises for its property type.</summary>
    private static string Read(PostGisColumn column) => (column.Type, column.PgType) switch
    {
        (PropertyType.Integer, "int8") or (PropertyType.Number, "float8") or (PropertyType.String, "text" or "varchar")
            or (PropertyType.Boolean or PropertyType.Date, _) or (PropertyType.DateTime, "timestamptz") => column.Quoted,
        (PropertyType.Integer, _) => $"{column.Quoted}::int8",
        (PropertyType.Number, _) => $"{column.Quoted}::float8",
        // A timestamp without time zone is taken as UTC.
        (PropertyType.DateTime, _) => $"({column.Quoted} AT TIME ZONE 'UTC')",
        _ => $"{column.Quoted}::text",
    };

    private List<string> Filters(SqlParameters parameters, FeatureQuery query)
    {
        var conditions = new List<string>();
        if (query.BoundingBoxes.Count > 0)
            conditions.Add("(" + string.Join(" OR ", query.BoundingBoxes.Select(b => Intersects(parameters, b))) + ")");
        if (query.Time is { } time)
            AddTime(parameters, time, conditions);
        foreach (var equality in query.Equalities)
        {
            var column = _relation.FindColumn(equality.Property.Name)
                ?? throw new ArgumentException($"Collection '{_relation.Schema.Id}' has no property '{equality.Property.Name}'.", nameof(query));
            conditions.Add(Equality(parameters, column, equality.Value));
        }
        if (query.Filter is { } filter)
            conditions.Add(new PostGisFilterWriter(_relation, parameters).Write(filter));
        return conditions;
    }

    // && lets the planner use the spatial index; ST_Intersects then tests the exact geometry.
    private string Intersects(SqlParameters parameters, Envelope box)
    {
        var (minX, minY, maxX, maxY) = (parameters.Add(box.MinX), parameters.Add(box.MinY), parameters.Add(box.MaxX), parameters.Add(box.MaxY));
        if (_relation.Srid == 0)
        {
            // Without a declared SRID the rows may carry any; compare them as SRID 0 to avoid mixed-SRID errors.
            var plain = $"ST_MakeEnvelope({minX}, {minY}, {maxX}, {maxY}, 0)";
            return $"({_geometry} && {plain} AND ST_Intersects(ST_SetSRID({_geometry}, 0), {plain}))";
        }
        var envelope = $"ST_MakeEnvelope({minX}, {minY}, {maxX}, {maxY}, 4326)";
        if (NeedsTransform)
        {
            // Densify first: straight box edges in CRS84 are curves in most projections.
            var step = parameters.Add(Math.Max(box.Width, box.Height) / 16 + 1e-9);
            envelope = $"ST_Transform(ST_Segmentize({envelope}, {step}), {Srid})";
        }
        return $"({_geometry} && {envelope} AND ST_Intersects({_geometry}, {envelope}))";
    }

    private void AddTime(SqlParameters parameters, TimeInterval time, List<string> conditions)
    {
        var column = _relation.Schema.TemporalProperty is { } name ? _relation.FindColumn(name) : null;
        if (column is null) return;
        if (time.Start is { } start) conditions.Add($"{column.Quoted} >= {Instant(parameters, column, start)}");
        if (time.End is { } end) conditions.Add($"{column.Quoted} <= {Instant(parameters, column, end)}");
    }

    /// <summary>An instant as a parameter of the column's own type, so that its index stays usable.</summary>
    private static string Instant(SqlParameters parameters, PostGisColumn column, DateTimeOffset instant) => column.PgType switch
    {
        // A date matches when its day overlaps the interval, so compare whole days.
        "date" => parameters.Add(DateOnly.FromDateTime(instant.UtcDateTime)),
        "timestamp" => parameters.Add(DateTime.SpecifyKind(instant.UtcDateTime, DateTimeKind.Unspecified)),
        _ => parameters.Add(instant.ToUniversalTime()),
    };

    private static string Equality(SqlParameters parameters, PostGisColumn column, object value)
    {
        var q = column.Quoted;
        return (column.Type, value) switch
        {
            (PropertyType.Integer, long or int or short) => $"{q} = {parameters.Add(Convert.ToInt64(value, CultureInfo.InvariantCulture))}",
            // Compared in the column's own type: a float4 never equals the float8 nearest to a decimal.
            (PropertyType.Number, double or float or long or int) => column.PgType == "float8"
                ? $"{q} = {parameters.Add(Convert.ToDouble(value, CultureInfo.InvariantCulture))}"
                : $"{q} = {parameters.Add(Convert.ToDouble(value, CultureInfo.InvariantCulture))}::{column.PgType}",
            (PropertyType.String, string s) => column.PgType is "text" or "varchar"
                ? $"{q} = {parameters.Add(s)}"
                : $"{q}::text = {parameters.Add(s)}",
            (PropertyType.Boolean, bool b) => $"{q} = {parameters.Add(b)}",
            (PropertyType.Date, DateOnly d) => $"{q} = {parameters.Add(d)}",
            (PropertyType.DateTime, DateTimeOffset t) => $"{q} = {Instant(parameters, column, t)}",
            _ => throw new ArgumentException(
                $"Property '{column.Name}' is {column.Type} and cannot be compared with a {value.GetType().Name}.", nameof(value)),
        };
    }

    /// <summary>Parses a feature id or cursor key into a parameter of the id column's type.</summary>
    public bool TryAddId(SqlParameters parameters, string text, out string placeholder)
    {
        placeholder = "";
        switch (_relation.IdColumn.PgType)
        {
            case "int2" or "int4" or "int8":
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)) return false;
                placeholder = parameters.Add(number);
                return true;
            case "uuid":
                if (!Guid.TryParse(text, out var guid)) return false;
                placeholder = parameters.Add(guid);
                return true;
            default:
                placeholder = parameters.Add(text);
                return true;
        }
    }
}
