using Meridian.Storage.Schema;

namespace Meridian.Storage.PostGis;

/// <summary>A column as the catalog describes it: its name, its (base) type name and how the port sees it.</summary>
internal sealed record PostGisColumn(string Name, string PgType, PropertyType Type)
{
    public string Quoted => Sql.Quote(Name);

    public static PropertyType TypeOf(string pgType) => pgType switch
    {
        "int2" or "int4" or "int8" => PropertyType.Integer,
        "float4" or "float8" or "numeric" => PropertyType.Number,
        "text" or "varchar" or "bpchar" or "uuid" => PropertyType.String,
        "bool" => PropertyType.Boolean,
        "date" => PropertyType.Date,
        "timestamp" or "timestamptz" => PropertyType.DateTime,
        _ => PropertyType.Other,
    };

    public static FeatureIdKind? IdKindOf(string pgType) => pgType switch
    {
        "int2" or "int4" or "int8" => FeatureIdKind.Integer,
        "text" or "varchar" or "uuid" => FeatureIdKind.Text,
        _ => null,
    };
}

/// <summary>
/// A table or view published as a collection: where its features live and the schema the port sees.
/// <see cref="Srid"/> is the column's own SRID, which may be 0 (unknown) where the schema says 4326.
/// </summary>
internal sealed record PostGisRelation(
    string SchemaName,
    string TableName,
    bool IsTable,
    string GeometryColumn,
    int Srid,
    PostGisColumn IdColumn,
    IReadOnlyList<PostGisColumn> Columns,
    CollectionSchema Schema)
{
    public string QuotedName => Sql.Quote(SchemaName, TableName);

    /// <summary>
    /// Whether the geometry column is a bare <c>geometry</c> (no typmod), which takes any dimension: loads then write
    /// geometries with or without heights as they come. Tables Meridian creates always have a typmod.
    /// </summary>
    public bool TakesAnyDimension { get; init; }

    public string QuotedGeometry => Sql.Quote(GeometryColumn);

    public PostGisColumn? FindColumn(string name) =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    /// <summary>Collection ids are the bare table name in <c>public</c>, otherwise <c>schema.table</c>.</summary>
    public static string CollectionIdOf(string schemaName, string tableName) =>
        schemaName == "public" ? tableName : $"{schemaName}.{tableName}";
}
