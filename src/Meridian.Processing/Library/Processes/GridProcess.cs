using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Meridian.Processing.Processes;
using Meridian.Storage;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Processing.Library.Processes;

/// <summary>
/// Aggregates features into a grid of hexagons or squares laid out in a projected CRS (Web Mercator unless told
/// otherwise): each feature counts in the cell of its representative point (itself for a point, the interior point
/// otherwise). Only cells with features are written; memory follows the number of cells, not of features.
/// </summary>
public sealed class GridProcess(ProcessIo io) : FeatureProcess(io)
{
    public const int MaxCells = 1_000_000;
    private static readonly double Sqrt3 = Math.Sqrt(3);

    protected override string Id => "grid-aggregate";

    protected override string Title => "Hexagon and square grid aggregation";

    protected override string Abstract =>
        "Counts the features in each cell of a 'hexagon' (pointy-top, 'size' = edge length) or 'square' ('size' = side) grid laid out in 'crs' "
        + "(default EPSG:3857, so 'size' is in its metres), with the sum and average of a numeric 'property'.";

    protected override IReadOnlyList<ProcessInput> Parameters =>
    [
        new("shape", "Cell shape", "hexagon (default) or square.", ProcessInput.TextSchema("hexagon", "square"), Required: false),
        new("size", "Cell size", "Edge length of a hexagon, side of a square, in the grid CRS's units.", ProcessInput.NumberSchema(0.001, 10_000_000)),
        new("crs", "Grid CRS", "A projected CRS (default http://www.opengis.net/def/crs/EPSG/0/3857).", ProcessInput.TextSchema(), Required: false),
        new("property", "Property", "A numeric property to sum and average per cell.", ProcessInput.TextSchema(), Required: false),
    ];

    protected override Task<JsonObject> RunAsync(FeatureSet source, ProcessRun run, CancellationToken cancellationToken)
    {
        var hexagon = run.Inputs.Text("shape", ["hexagon", "square"], "hexagon") == "hexagon";
        var size = run.Inputs.Number("size", 0.001, 10_000_000);
        var crsText = run.Inputs.Text("crs", fallback: "EPSG:3857")!;
        if (!CrsRegistry.TryParse(crsText, out var crs) || crs.IsGeographic)
            throw new ProcessInputException("crs", $"'{crsText}' is not a projected CRS Meridian carries.");
        var property = run.Inputs.Text("property") is { } name
            ? source.Properties.FirstOrDefault(p => p.Name == name && p.Type is PropertyType.Integer or PropertyType.Number)
                ?? throw new ProcessInputException("property", $"The input features have no numeric property '{name}'.")
            : null;
        List<PropertySchema> properties = [new("cell", PropertyType.String), new("count", PropertyType.Integer)];
        if (property is not null) properties.AddRange([new($"{property.Name}_sum", PropertyType.Number), new($"{property.Name}_avg", PropertyType.Number)]);
        var grid = new Grid(hexagon, size, crs);
        return WriteAsync(new FeatureSet(properties, GeometryKind.Polygon, AggregateAsync(source, grid, property)), run, cancellationToken);
    }

    private sealed record Cell(long Count, double Sum, long Summed);

    private static async IAsyncEnumerable<FeatureRecord> AggregateAsync(FeatureSet source, Grid grid, PropertySchema? property,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cells = new Dictionary<(long, long), Cell>();
        await foreach (var feature in source.Features.WithCancellation(cancellationToken))
        {
            var point = feature.Geometry is Point p ? p : feature.Geometry!.InteriorPoint;
            if (grid.Crs.FromCrs84(point) is not Point projected) continue;
            var key = grid.CellOf(grid.Crs.NorthingFirst ? projected.Y : projected.X, grid.Crs.NorthingFirst ? projected.X : projected.Y);
            var value = property is null ? null : feature.Properties.GetValueOrDefault(property.Name) switch { long l => (double?)l, double d => d, _ => null };
            var cell = cells.GetValueOrDefault(key, new Cell(0, 0, 0));
            cells[key] = value is { } v ? new Cell(cell.Count + 1, cell.Sum + v, cell.Summed + 1) : cell with { Count = cell.Count + 1 };
            if (cells.Count > MaxCells)
                throw new ProcessInputException("size", $"The grid would have more than {MaxCells:N0} cells with features; choose a larger size.");
        }
        foreach (var ((i, j), cell) in cells.OrderBy(c => c.Key))
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{i}_{j}");
            var values = new Dictionary<string, object?> { ["cell"] = id, ["count"] = cell.Count };
            if (property is not null)
            {
                values[$"{property.Name}_sum"] = cell.Sum;
                values[$"{property.Name}_avg"] = cell.Summed == 0 ? null : cell.Sum / cell.Summed;
            }
            yield return new FeatureRecord(id, grid.Crs84Polygon(i, j), values);
        }
    }

    /// <summary>Cell arithmetic in the grid CRS (x east, y north): squares by floor, hexagons in axial coordinates with cube rounding.</summary>
    private sealed record Grid(bool Hexagon, double Size, Crs Crs)
    {
        /// <summary>A cell in CRS84; one the grid's CRS cannot take back (features far outside its area) is the 'crs' input's fault.</summary>
        public Geometry Crs84Polygon(long i, long j)
        {
            try
            {
                return Crs.EastNorthToCrs84(Polygon(i, j));
            }
            catch (ArgumentException)
            {
                throw new ProcessInputException("crs",
                    $"A cell of the grid lies outside the area {Crs.Uri} can express: choose a CRS that covers every input feature, such as EPSG:3857 (the default).");
            }
        }

        public (long, long) CellOf(double x, double y)
        {
            if (!Hexagon) return ((long)Math.Floor(x / Size), (long)Math.Floor(y / Size));
            var q = (Sqrt3 / 3 * x - y / 3) / Size;
            var r = 2.0 / 3 * y / Size;
            var (rx, rz) = (Math.Round(q), Math.Round(r));
            var ry = Math.Round(-q - r);
            var (dx, dy, dz) = (Math.Abs(rx - q), Math.Abs(ry - (-q - r)), Math.Abs(rz - r));
            if (dx > dy && dx > dz) rx = -ry - rz;
            else if (dy <= dz) rz = -rx - ry;
            return ((long)rx, (long)rz);
        }

        public Polygon Polygon(long i, long j)
        {
            Coordinate[] ring;
            if (!Hexagon)
            {
                var (x0, y0) = (i * Size, j * Size);
                ring = [new(x0, y0), new(x0 + Size, y0), new(x0 + Size, y0 + Size), new(x0, y0 + Size), new(x0, y0)];
            }
            else
            {
                var (cx, cy) = (Size * Sqrt3 * (i + j / 2.0), Size * 1.5 * j);
                ring = Enumerable.Range(0, 7).Select(k => (60.0 * (k % 6) - 30) * Math.PI / 180)
                    .Select(a => new Coordinate(cx + Size * Math.Cos(a), cy + Size * Math.Sin(a))).ToArray();
            }
            return GeometryServices.Factory.CreatePolygon(ring);
        }
    }
}
