using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using static Meridian.Storage.Sql;

namespace Meridian.Storage.GeoPackage;

/// <summary>What discovery learnt about one feature table: its schema and how to query it.</summary>
internal sealed record GeoPackageLayerInfo(
    CollectionSchema Schema,
    string Table,
    string IdColumn,
    string GeometryColumn,
    string? RTree,
    Crs84Transform? Transform)
{
    /// <summary>id, geometry, then the properties in schema order: the reader's ordinals rely on it.</summary>
    public string SelectList { get; } =
        string.Join(", ", new[] { Quote(IdColumn), Quote(GeometryColumn) }.Concat(Schema.Properties.Select(p => Quote(p.Name))));
}
