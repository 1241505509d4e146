namespace Meridian.Storage.Schema;

/// <summary>How a collection's feature ids are typed; ids cross the port as strings.</summary>
public enum FeatureIdKind
{
    Integer,
    Text,
}
