namespace Meridian.Storage.Schema;

/// <summary>One attribute column of a collection.</summary>
/// <param name="MaxLength">For strings, the most characters the column holds (varchar(n), GeoPackage TEXT(n)), when it says.</param>
public sealed record PropertySchema(string Name, PropertyType Type, bool Nullable = true, int? MaxLength = null)
{
    /// <summary>Whether equality filters and (later) CQL2 may compare this property.</summary>
    public bool IsQueryable => Type != PropertyType.Other;
}
