using System.Globalization;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Meridian.Storage.Tiles;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.PostGis;

/// <summary>
/// One statement per tile: the GiST index finds what meets the buffered tile (a box in the column's own SRID,
/// so the index applies), geometries are cut to that box before any transform, ST_AsMVTGeom clips and snaps
/// them to the tile grid and ST_AsMVT encodes the layer. Every value is a parameter.
/// </summary>
internal sealed class TileSql(PostGisRelation relation)
{
    private const string GeometryAlias = "meridian:geom";

    private bool HasIntegerId => relation.IdColumn.PgType is "int2" or "int4" or "int8";

    public string Tile(SqlParameters parameters, TileRequest request)
    {
        var properties = request.SelectProperties(relation.Schema);
        var columns = new List<string>();
        if (HasIntegerId) columns.Add($"{relation.IdColumn.Quoted}::int8 AS {relation.IdColumn.Quoted}");

        var srid = relation.Srid;
        var sameCrs = srid == request.Srid || (srid == 0 && request.Srid == GeometryServices.Crs84Srid);
        var buffered = request.BufferedBounds;
        var box = sameCrs ? Envelope(parameters, buffered, srid) : StorageBox(parameters, buffered, request.Srid);
        var geometry = relation.QuotedGeometry;
        if (!sameCrs)
        {
            // Cut to the tile first: less to transform, and no pole for Mercator to choke on.
            var clipped = $"ST_ClipByBox2D({geometry}, {box})";
            if (srid == 0) clipped = $"ST_SetSRID({clipped}, 4326)";
            geometry = $"ST_Transform({clipped}, {request.Srid.ToString(CultureInfo.InvariantCulture)})";
        }
        if (request.Tolerance > 0) geometry = $"ST_Simplify({geometry}, {parameters.Add(request.Tolerance)}, true)";

        var b = request.Bounds;
        var extent = parameters.Add(request.Extent);
        var bounds = $"ST_MakeEnvelope({parameters.Add(b.MinX)}, {parameters.Add(b.MinY)}, {parameters.Add(b.MaxX)}, {parameters.Add(b.MaxY)})::box2d";
        columns.Add($"ST_AsMVTGeom({geometry}, {bounds}, {extent}, {parameters.Add(request.Buffer)}, true) AS {Sql.Quote(GeometryAlias)}");
        foreach (var property in properties)
        {
            var column = relation.FindColumn(property.Name)!;
            columns.Add($"{Value(column)} AS {column.Quoted}");
        }

        var layer = parameters.Add(relation.Schema.Id);
        var idName = HasIntegerId ? ", " + parameters.Add(relation.IdColumn.Name) : "";
        var inner = $"SELECT {string.Join(", ", columns)} FROM {relation.QuotedName} WHERE {relation.QuotedGeometry} && {box}";
        return $"SELECT coalesce(ST_AsMVT(t, {layer}, {extent}, {parameters.Add(GeometryAlias)}{idName}), ''::bytea) "
            + $"FROM (SELECT * FROM ({inner}) AS q WHERE q.{Sql.Quote(GeometryAlias)} IS NOT NULL LIMIT {parameters.Add((long)request.Limit)}) AS t";
    }

    private static string Envelope(SqlParameters parameters, Envelope e, int srid) =>
        $"ST_MakeEnvelope({parameters.Add(e.MinX)}, {parameters.Add(e.MinY)}, {parameters.Add(e.MaxX)}, {parameters.Add(e.MaxY)}, {srid.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>The buffered tile as a box in the column's SRID, by way of CRS84 (kept on the globe, and on the Mercator square).</summary>
    private string StorageBox(SqlParameters parameters, Envelope buffered, int tileSrid)
    {
        var srid = relation.Srid;
        var crs84 = tileSrid == WebMercator.Srid ? WebMercator.ToCrs84(buffered) : buffered;
        var maxLatitude = srid == WebMercator.Srid ? WebMercator.MaxLatitude : 90;
        var clamped = new Envelope(Math.Max(crs84.MinX, -180), Math.Min(crs84.MaxX, 180),
            Math.Max(crs84.MinY, -maxLatitude), Math.Min(crs84.MaxY, maxLatitude));
        if (srid is 4326 or 0) return Envelope(parameters, clamped, srid);
        if (srid == WebMercator.Srid) return Envelope(parameters, WebMercator.FromCrs84(clamped), srid);
        // Densify first: straight box edges in CRS84 are curves in most projections.
        var step = parameters.Add(Math.Max(clamped.Width, clamped.Height) / 16 + 1e-9);
        return $"ST_Envelope(ST_Transform(ST_Segmentize({Envelope(parameters, clamped, 4326)}, {step}), {srid.ToString(CultureInfo.InvariantCulture)}))";
    }

    /// <summary>A column as MVT carries it (see <see cref="IVectorTileSource"/>).</summary>
    private static string Value(PostGisColumn column) => (column.Type, column.PgType) switch
    {
        (PropertyType.Integer, "int8") or (PropertyType.Number, "float8") or (PropertyType.String, "text") or (PropertyType.Boolean, _) => column.Quoted,
        (PropertyType.Integer, _) => $"{column.Quoted}::int8",
        (PropertyType.Number, _) => $"{column.Quoted}::float8",
        (PropertyType.Date, _) => $"to_char({column.Quoted}, 'YYYY-MM-DD')",
        (PropertyType.DateTime, "timestamptz") => $"to_char({column.Quoted} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
        (PropertyType.DateTime, _) => $"to_char({column.Quoted}, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
        _ => $"{column.Quoted}::text",
    };
}
