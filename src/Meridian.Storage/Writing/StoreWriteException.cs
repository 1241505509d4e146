namespace Meridian.Storage.Writing;

/// <summary>A write the store refused because of its current state: a collection that exists, a constraint of the table.</summary>
public sealed class StoreConflictException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

/// <summary>A value the store's own column types refuse (a number out of an int4's range, text too long for a varchar(n)).</summary>
public sealed class InvalidFeatureException(string message, Exception? inner = null) : ArgumentException(message, inner);
