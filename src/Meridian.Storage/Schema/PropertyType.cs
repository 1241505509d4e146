namespace Meridian.Storage.Schema;

/// <summary>The value types a feature property can hold, common to every feature store.</summary>
public enum PropertyType
{
    String,
    Integer,
    Number,
    Boolean,
    Date,
    DateTime,
    /// <summary>Anything else (arrays, JSON, binary): returned as text, not filterable.</summary>
    Other,
}
