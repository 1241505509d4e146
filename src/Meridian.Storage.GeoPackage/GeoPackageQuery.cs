using System.Text;
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
    private int _parameters;

    public static void Prepare(GeoPackageLayerInfo layer, SqliteCommand command, FeatureQuery query, bool paged)
    {
        var builder = new GeoPackageQuery(layer, command);
        builder.AddBoxes(query.BoundingBoxes);
        builder.AddTime(query.Time);
        foreach (var equality in query.Equalities) builder.AddEquality(equality);

        var select = $"SELECT {layer.SelectList} FROM {Quote(layer.Table)}";
        if (!paged)
        {
            command.CommandText = $"SELECT count(*) FROM {Quote(layer.Table)}{builder.WhereClause()}";
            return;
        }
        var limit = builder.Bind(query.Limit == int.MaxValue ? -1L : query.Limit + 1L);
        var fid = Quote(layer.IdColumn);
        if (query.Cursor is { } cursor && long.TryParse(cursor.Key, out var key))
        {
            var k = builder.Bind(key);
            builder.And($"{fid} {(cursor.Backward ? "<" : ">")} {k}");
            command.CommandText = cursor.Backward
                ? $"SELECT * FROM ({select}{builder.WhereClause()} ORDER BY {fid} DESC LIMIT {limit}) ORDER BY 1"
                : $"{select}{builder.WhereClause()} ORDER BY {fid} LIMIT {limit}";
            return;
        }
        if (query.Cursor is not null) builder.And("0"); // a cursor that is no integer matches nothing
        command.CommandText = $"{select}{builder.WhereClause()} ORDER BY {fid} LIMIT {limit}";
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

    private void AddBoxes(IReadOnlyList<Envelope> boxes)
    {
        if (boxes.Count == 0) return;
        var areas = boxes.Select(b => layer.Transform is null
            ? GeometryServices.Factory.ToGeometry(b)
            : layer.Transform.FromCrs84(Crs84Transform.ToPolygon(b))).ToList();
        var geom = Quote(layer.GeometryColumn);
        var clauses = areas.Select(area =>
        {
            var e = area.EnvelopeInternal;
            var (minX, minY, maxX, maxY) = (Bind(e.MinX), Bind(e.MinY), Bind(e.MaxX), Bind(e.MaxY));
            return layer.RTree is { } rtree
                ? $"{Quote(layer.IdColumn)} IN (SELECT id FROM {Quote(rtree)} WHERE minx <= {maxX} AND maxx >= {minX} AND miny <= {maxY} AND maxy >= {minY})"
                : "1";
        });
        And(string.Join(" OR ", clauses));
        And($"meridian_intersects({geom})");
        SpatialFunctions.RegisterIntersects(command.Connection!, areas, layer.Schema.StorageSrid);
    }

    private void AddTime(TimeInterval? time)
    {
        if (time is not { } interval || layer.Schema.TemporalProperty is not { } name) return;
        var property = layer.Schema.FindProperty(name)!;
        var column = Quote(name);
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
        var column = Quote(equality.Property.Name);
        var value = SqliteValues.ToStorage(equality.Value, equality.Property.Type);
        And(equality.Property.Type == PropertyType.DateTime
            ? $"julianday({column}) = julianday({Bind(value)})"
            : $"{column} = {Bind(value)}");
    }
}
