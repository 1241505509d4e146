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
    /// <summary>The alias of the feature table in every query, so that no column can clash with the R-tree's.</summary>
    public const string Alias = "f";

    /// <summary>id, geometry, then the properties in schema order: the reader's ordinals rely on it.</summary>
    public string SelectList => SelectListReading(_ => true);

    /// <summary>The select list with NULL in place of the properties a query does not read.</summary>
    public string SelectListReading(Func<string, bool> reads) =>
        string.Join(", ", new[] { Column(IdColumn), Column(GeometryColumn) }
            .Concat(Schema.Properties.Select(p => reads(p.Name) ? Column(p.Name) : "NULL")));

    public string From => $"{Quote(Table)} AS {Alias}";

    /// <summary>The select of one feature by its id, bound as <c>$id</c> (see <see cref="IdValue"/>).</summary>
    public string SelectOne => $"SELECT {SelectList} FROM {From} WHERE {Column(IdColumn)} = $id";

    /// <summary>A feature id as SQLite compares it: a non-numeric id stays text and matches nothing, rather than failing.</summary>
    public static object IdValue(string featureId) =>
        long.TryParse(featureId, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : featureId;

    public static string Column(string name) => $"{Alias}.{Quote(name)}";
}
