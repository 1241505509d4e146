using NetTopologySuite.Geometries;

namespace Meridian.Storage.Filtering;

/// <summary>A constant value written in the filter.</summary>
public abstract record Literal : Expression;

/// <summary>A character literal: <c>'Berlin'</c> in text, <c>"Berlin"</c> in JSON; escapes already decoded.</summary>
public sealed record StringLiteral(string Value) : Literal;

/// <summary>A numeric literal; CQL2 does not tell integers from decimals, so every number is a double.</summary>
public sealed record NumberLiteral(double Value) : Literal;

/// <summary><c>TRUE</c> or <c>FALSE</c>.</summary>
public sealed record BooleanLiteral(bool Value) : Literal;

/// <summary><c>DATE('2022-04-16')</c> / <c>{"date":"2022-04-16"}</c>: a calendar day.</summary>
public sealed record DateLiteral(DateOnly Value) : Literal;

/// <summary><c>TIMESTAMP('2022-04-16T10:13:19Z')</c> / <c>{"timestamp":…}</c>: an instant, always UTC.</summary>
public sealed record TimestampLiteral(DateTimeOffset Value) : Literal;

/// <summary>
/// <c>INTERVAL(start, end)</c> / <c>{"interval":[start, end]}</c>. A bound is a <see cref="DateLiteral"/>, a
/// <see cref="TimestampLiteral"/>, a <see cref="PropertyRef"/> or a <see cref="FunctionCall"/>; null is an open
/// bound (<c>'..'</c>). Both bounds are included.
/// </summary>
public sealed record IntervalLiteral(Expression? Start, Expression? End) : Literal;

/// <summary>
/// A geometry literal (WKT in text, GeoJSON in JSON) as a NetTopologySuite geometry in CRS84 (longitude,
/// latitude[, height]). Compares exactly, including Z.
/// </summary>
public sealed record GeometryLiteral(Geometry Value) : Literal
{
    public bool Equals(GeometryLiteral? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        if (!Value.EqualsExact(other.Value)) return false;
        var a = Value.Coordinates;
        var b = other.Value.Coordinates;
        for (var i = 0; i < a.Length; i++)
        {
            if (!a[i].Z.Equals(b[i].Z)) return false;
        }
        return true;
    }

    public override int GetHashCode() => HashCode.Combine(Value.GeometryType, Value.NumPoints, Value.EnvelopeInternal);
}

/// <summary>
/// <c>BBOX(west, south, east, north)</c> or with heights <c>BBOX(west, south, minZ, east, north, maxZ)</c>, in
/// CRS84. West greater than east is a box that crosses the antimeridian.
/// </summary>
public sealed record BboxLiteral(double West, double South, double East, double North, double? MinZ = null, double? MaxZ = null) : Literal
{
    public bool CrossesAntimeridian => West > East;

    /// <summary>The box as one envelope, or two when it crosses the antimeridian (west part first).</summary>
    public IReadOnlyList<Envelope> ToEnvelopes() => CrossesAntimeridian
        ? [new Envelope(West, 180, South, North), new Envelope(-180, East, South, North)]
        : [new Envelope(West, East, South, North)];

    /// <summary>The box as a polygon, or a multipolygon of two when it crosses the antimeridian (2D).</summary>
    public Geometry ToGeometry(GeometryFactory factory)
    {
        var parts = ToEnvelopes().Select(e => (Polygon)factory.ToGeometry(e)).ToArray();
        return parts.Length == 1 ? parts[0] : factory.CreateMultiPolygon(parts);
    }
}

/// <summary>An array: <c>('a', 'b')</c> in text, <c>["a","b"]</c> in JSON.</summary>
public sealed record ArrayLiteral(ExpressionList Items) : Literal;

/// <summary>A queryable named in the filter: <c>name</c> or <c>"name"</c> in text, <c>{"property":"name"}</c> in JSON.</summary>
public sealed record PropertyRef(string Name) : Expression;

/// <summary>
/// The collection's own geometry. Parsers never produce it: the binder replaces a <see cref="PropertyRef"/> that
/// names the geometry queryable (<c>geometry</c>, or the name the collection publishes) with this node, so that
/// stores need not look geometry names up.
/// </summary>
public sealed record GeometryRef : Expression;

/// <summary>A call of a function that is not a CQL2 operator: <c>avg(windSpeed)</c> / <c>{"op":"avg","args":[…]}</c>.</summary>
public sealed record FunctionCall(string Name, ExpressionList Arguments) : Expression;
