using Meridian.Storage.Schema;

namespace Meridian.Storage.Querying;

/// <summary>An equality filter on a queryable property; <see cref="Value"/> already has the property's CLR type.</summary>
public sealed record PropertyEquals(PropertySchema Property, object Value);
