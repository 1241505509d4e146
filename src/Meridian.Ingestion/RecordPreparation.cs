using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Validation;
using NetTopologySuite.Geometries;

namespace Meridian.Ingestion;

/// <summary>Turns a record as read into one ready to load (CRS84, valid) or says why it cannot be loaded.</summary>
internal sealed class RecordPreparation(Func<Geometry, Geometry>? projection, GeometryValidator validator)
{
    public SourceFeature? Prepare(SourceFeature feature, out string? rejection, out bool repaired)
    {
        repaired = false;
        rejection = feature.Error;
        if (rejection is not null) return null;

        var geometry = feature.Geometry;
        if (geometry is not null && projection is not null)
        {
            try
            {
                geometry = projection(geometry);
            }
            catch (ArgumentException e)
            {
                rejection = $"the geometry cannot be transformed to longitude/latitude: {e.Message}";
                return null;
            }
        }
        var check = validator.Check(geometry);
        rejection = check.Rejection;
        repaired = check.Repaired;
        if (rejection is not null) return null;
        return ReferenceEquals(check.Geometry, feature.Geometry) ? feature : feature with { Geometry = check.Geometry };
    }
}
