using Meridian.Storage.Spatial;

namespace Meridian.Features.Cql2;

/// <summary>Limits that keep hostile filters from using unbounded time, memory or stack.</summary>
public sealed record Cql2ParserOptions
{
    public static Cql2ParserOptions Default { get; } = new();

    /// <summary>The longest filter accepted, in characters; 64 KiB by default.</summary>
    public int MaxLength { get; init; } = 64 * 1024;

    /// <summary>
    /// How deeply expressions may nest (parentheses, function arguments, operands of operators, and each
    /// further operator of a chain such as <c>a + b + c</c>); 100 by default.
    /// </summary>
    public int MaxDepth { get; init; } = 100;

    /// <summary>
    /// The CRS positions and BBOX corners are written in, in its axis order (<c>filter-crs</c>; EPSG:4326 is latitude
    /// first); the parser turns them into CRS84, which is what every other layer sees.
    /// </summary>
    public Crs Crs { get; init; } = CrsRegistry.Crs84;
}
