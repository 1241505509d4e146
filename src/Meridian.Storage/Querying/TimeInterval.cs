namespace Meridian.Storage.Querying;

/// <summary>A closed time interval in UTC; a null end is open ("..").</summary>
public readonly record struct TimeInterval(DateTimeOffset? Start, DateTimeOffset? End);
