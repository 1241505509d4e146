namespace Meridian.Storage.Schema;

/// <summary>One attribute column of a collection.</summary>
public sealed record PropertySchema(string Name, PropertyType Type, bool Nullable = true)
{
    /// <summary>Whether equality filters and (later) CQL2 may compare this property.</summary>
    public bool IsQueryable => Type != PropertyType.Other;
}
