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
    /// Positions and BBOX corners are written latitude first, as EPSG:4326 orders its axes (<c>filter-crs</c>);
    /// the parser turns them into CRS84's longitude-first order, which is what every other layer sees.
    /// </summary>
    public bool LatitudeFirst { get; init; }
}
