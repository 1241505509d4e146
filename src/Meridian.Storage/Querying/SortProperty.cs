using Meridian.Storage.Schema;

namespace Meridian.Storage.Querying;

/// <summary>One key of a sort (the <c>sortby</c> parameter): a queryable property, ascending or descending.</summary>
public sealed record SortProperty(PropertySchema Property, bool Descending);
