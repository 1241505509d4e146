using System.Text.Json.Nodes;
using Meridian.Processing.Processes;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Processing.Library.Processes;

/// <summary>
/// Transforms geometries from CRS84 to another CRS Meridian carries. Coordinates are written x east, y north
/// whatever the CRS's axis order (as GDAL writes files); a collection output is stored in that CRS.
/// </summary>
public sealed class ReprojectProcess(ProcessIo io) : FeatureProcess(io)
{
    protected override string Id => "reproject";

    protected override string Title => "Reproject";

    protected override string Abstract => "Transforms the geometries to 'crs' (an EPSG URI or CURIE Meridian carries), x east and y north.";

    protected override IReadOnlyList<ProcessInput> Parameters =>
    [
        new("crs", "Target CRS", "e.g. http://www.opengis.net/def/crs/EPSG/0/3857 or EPSG:25832.", ProcessInput.TextSchema()),
    ];

    protected override Task<JsonObject> RunAsync(FeatureSet source, ProcessRun run, CancellationToken cancellationToken)
    {
        var text = run.Inputs.Text("crs")!;
        if (!CrsRegistry.TryParse(text, out var crs)) throw new ProcessInputException("crs", $"'{text}' is not a CRS Meridian carries.");
        var result = source.MapGeometry(source.GeometryType, g => EastNorth(crs, crs.FromCrs84(g)
            ?? throw new ProcessInputException(InputName, $"A geometry lies outside the area {crs.Uri} can express.")));
        return WriteAsync(result with { Srid = crs.Srid }, run, cancellationToken);
    }

    /// <summary>Undoes the axis swap of a northing-first CRS: stored and written coordinates are x east, y north.</summary>
    private static Geometry EastNorth(Crs crs, Geometry geometry)
    {
        if (!crs.NorthingFirst) return geometry;
        var copy = geometry.Copy();
        copy.Apply(new SwapAxes());
        copy.GeometryChanged();
        return copy;
    }

    private sealed class SwapAxes : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (x, y) = (seq.GetX(i), seq.GetY(i));
                seq.SetX(i, y);
                seq.SetY(i, x);
            }
        }
    }
}
