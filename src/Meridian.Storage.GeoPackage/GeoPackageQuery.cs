using System.Text;
using Meridian.Storage.Filtering;
using Meridian.Storage.GeoPackage.Filtering;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using static Meridian.Storage.Sql;

namespace Meridian.Storage.GeoPackage;

/// <summary>Turns a <see cref="FeatureQuery"/> into SQLite SQL over one GeoPackage layer, values always bound.</summary>
internal sealed class GeoPackageQuery(GeoPackageLayerInfo layer, SqliteCommand command)
{
    private readonly StringBuilder _where = new();
    private string _join = "";
    private int _parameters;

    public static void Prepare(GeoPackageLayerInfo layer, SqliteCommand command, FeatureQuery query, bool paged)
    {
        var builder = new GeoPackageQuery(layer, command);
        builder.AddBoxes(query.BoundingBoxes);
        builder.AddTime(query.Time);
        foreach (var equality in query.Equalities) builder.AddEquality(equality);
        if (query.Filter is { } filter) builder.AddFilter(filter);

        if (!paged)
        {
            command.CommandText = $"SELECT count(*) FROM {layer.From}{builder._join}{builder.WhereClause()}";
            return;
        }
        // The R-tree join visits every match to sort them by fid: counting them there costs next to nothing.
        var count = query.CountsWithPage ? ", count(*) OVER ()" : "";
        var keyset = builder.Keyset(query.SortBy);
        var select = $"SELECT {layer.SelectListReading(query.Reads)}{count}";
        var from = $" FROM {layer.From}{builder._join}";
        var limit = builder.Bind(query.Limit == int.MaxValue ? -1L : query.Limit + 1L);
        if (query.Cursor is { } cursor)
        {
            // A cursor that is no integer matches nothing: it cannot be a position in this layer.
            if (!long.TryParse(cursor.Key, out var key)) builder.And("0");
            else if (query.SortBy.Count == 0) builder.And($"{keyset.Keys[^1].Sql} {(cursor.Backward ? "<" : ">")} {builder.Bind(key)}");
            else builder.And(keyset.Beyond([.. query.SortBy.Zip(cursor.SortValues, builder.SortValue), builder.Bind(key)], cursor.Backward));
            if (cursor.Backward)
            {
                var keys = string.Join(", ", keyset.Keys.Select((k, i) => $"{k.Sql} AS k{i}"));
                command.CommandText = $"SELECT * FROM ({select}, {keys}{from}{builder.WhereClause()} ORDER BY {keyset.OrderBy(reverse: true)} LIMIT {limit}) "
                    + $"ORDER BY {keyset.Renamed(i => $"k{i}").OrderBy(reverse: false)}";
                return;
            }
        }
        command.CommandText = $"{select}{from}{builder.WhereClause()} ORDER BY {keyset.OrderBy(reverse: false)} LIMIT {limit}";
    }

    /// <summary>The sort keys, timestamps through julianday() like every comparison of them here, then the fid.</summary>
    private Keyset Keyset(IReadOnlyList<SortProperty> sortBy) => new(
    [
        .. sortBy.Select(k => (k.Property.Type == PropertyType.DateTime
            ? $"julianday({GeoPackageLayerInfo.Column(k.Property.Name)})"
            : GeoPackageLayerInfo.Column(k.Property.Name), k.Descending)),
        (GeoPackageLayerInfo.Column(layer.IdColumn), false),
    ]);

    /// <summary>A cursor's sort value bound as the column stores it, or null for a null.</summary>
    private string? SortValue(SortProperty key, object? value)
    {
        if (value is null) return null;
        var bound = Bind(SqliteValues.ToStorage(value, key.Property.Type));
        return key.Property.Type == PropertyType.DateTime ? $"julianday({bound})" : bound;
    }

    private string WhereClause() => _where.Length == 0 ? "" : " WHERE " + _where;

    private void And(string condition)
    {
        if (_where.Length > 0) _where.Append(" AND ");
        _where.Append('(').Append(condition).Append(')');
    }

    private string Bind(object value)
    {
        var name = "$p" + _parameters++;
        command.Parameters.AddWithValue(name, value);
        return name;
    }

    /// <summary>
    /// The R-tree finds the candidates whose envelope overlaps a box; a candidate whose envelope lies inside a
    /// box matches outright (every point feature does), and only the others have their geometry tested.
    /// </summary>
    private void AddBoxes(IReadOnlyList<Envelope> boxes)
    {
        if (boxes.Count == 0) return;
        var areas = boxes.Select(b => layer.Transform is null
            ? GeometryServices.Factory.ToGeometry(b)
            : layer.Transform.BoxFromCrs84(b)).ToList();
        var bounds = areas.Select(a => a.EnvelopeInternal)
            .Select(e => (MinX: Bind(e.MinX), MinY: Bind(e.MinY), MaxX: Bind(e.MaxX), MaxY: Bind(e.MaxY))).ToList();
        var intersects = $"meridian_intersects({GeoPackageLayerInfo.Column(layer.GeometryColumn)})";
        SpatialFunctions.RegisterIntersects(command.Connection!, areas, layer.Schema.StorageSrid);
        if (layer.RTree is not { } rtree)
        {
            And(intersects);
            return;
        }
        // UNION, not UNION ALL: a feature on the antimeridian overlaps both halves of a split box.
        var candidates = string.Join(" UNION ", bounds.Select(b =>
            $"SELECT id, minx, maxx, miny, maxy FROM {Quote(rtree)} WHERE minx <= {b.MaxX} AND maxx >= {b.MinX} AND miny <= {b.MaxY} AND maxy >= {b.MinY}"));
        _join = $" JOIN ({candidates}) AS r ON r.id = {GeoPackageLayerInfo.Column(layer.IdColumn)}";
        var inside = bounds.Select(b => $"(r.minx >= {b.MinX} AND r.maxx <= {b.MaxX} AND r.miny >= {b.MinY} AND r.maxy <= {b.MaxY})");
        And(string.Join(" OR ", inside) + " OR " + intersects);
    }

    private void AddFilter(Filter filter)
    {
        var writer = new GeoPackageFilterWriter(layer, Bind);
        And(writer.Write(filter));
        FilterFunctions.Register(command.Connection!, writer.Literals, layer.Schema.StorageSrid, layer.Transform);
        if (layer.RTree is not { } rtree) return;
        // A relation that implies intersecting a literal holds only where the R-tree finds that literal's envelope.
        foreach (var area in FilterGeometry.IntersectedLiterals(filter))
        {
            var e = layer.Transform is null ? area.EnvelopeInternal : layer.Transform.BoxFromCrs84(area.EnvelopeInternal).EnvelopeInternal;
            And($"{GeoPackageLayerInfo.Column(layer.IdColumn)} IN (SELECT id FROM {Quote(rtree)} "
                + $"WHERE minx <= {Bind(e.MaxX)} AND maxx >= {Bind(e.MinX)} AND miny <= {Bind(e.MaxY)} AND maxy >= {Bind(e.MinY)})");
        }
    }

    private void AddTime(TimeInterval? time)
    {
        if (time is not { } interval || layer.Schema.TemporalProperty is not { } name) return;
        var property = layer.Schema.FindProperty(name)!;
        var column = GeoPackageLayerInfo.Column(name);
        if (property.Type == PropertyType.Date)
        {
            if (interval.Start is { } s) And($"{column} >= {Bind(SqliteValues.FormatDate(DateOnly.FromDateTime(s.UtcDateTime)))}");
            if (interval.End is { } e) And($"{column} <= {Bind(SqliteValues.FormatDate(DateOnly.FromDateTime(e.UtcDateTime)))}");
            return;
        }
        // julianday() reads the ISO forms GeoPackage writers use, with or without 'Z' and fractions.
        if (interval.Start is { } start) And($"julianday({column}) >= julianday({Bind(SqliteValues.FormatTimestamp(start))})");
        if (interval.End is { } end) And($"julianday({column}) <= julianday({Bind(SqliteValues.FormatTimestamp(end))})");
    }

    private void AddEquality(PropertyEquals equality)
    {
        var column = GeoPackageLayerInfo.Column(equality.Property.Name);
        var value = SqliteValues.ToStorage(equality.Value, equality.Property.Type);
        And(equality.Property.Type == PropertyType.DateTime
            ? $"julianday({column}) = julianday({Bind(value)})"
            : $"{column} = {Bind(value)}");
    }
}
