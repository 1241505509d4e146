using System.Globalization;
using System.Text;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Filtering;

/// <summary>
/// Writes an expression as canonical cql2-text: keywords in upper case, compound operands in parentheses,
/// numbers in round-trip form. Parsing the result gives back an equal expression.
/// </summary>
internal static class Cql2TextFormatter
{
    public static string Format(Expression expression)
    {
        var text = new StringBuilder();
        Write(text, expression);
        return text.ToString();
    }

    private static void Write(StringBuilder text, Expression expression)
    {
        switch (expression)
        {
            case And and:
                WriteJoined(text, and.Operands, " AND ");
                break;
            case Or or:
                WriteJoined(text, or.Operands, " OR ");
                break;
            case Not not:
                text.Append("NOT ");
                WriteOperand(text, not.Operand);
                break;
            case Comparison comparison:
                WriteOperand(text, comparison.Left);
                text.Append(' ').Append(comparison.Operator.ToText()).Append(' ');
                WriteOperand(text, comparison.Right);
                break;
            case Like like:
                WriteOperand(text, like.Value);
                text.Append(" LIKE ");
                WriteOperand(text, like.Pattern);
                break;
            case Between between:
                WriteOperand(text, between.Value);
                text.Append(" BETWEEN ");
                WriteOperand(text, between.Low);
                text.Append(" AND ");
                WriteOperand(text, between.High);
                break;
            case In @in:
                WriteOperand(text, @in.Value);
                text.Append(" IN (");
                WriteList(text, @in.Items);
                text.Append(')');
                break;
            case IsNull isNull:
                WriteOperand(text, isNull.Operand);
                text.Append(" IS NULL");
                break;
            case CaseInsensitive casei:
                text.Append("CASEI(");
                Write(text, casei.Operand);
                text.Append(')');
                break;
            case AccentInsensitive accenti:
                text.Append("ACCENTI(");
                Write(text, accenti.Operand);
                text.Append(')');
                break;
            case SpatialPredicate spatial:
                WriteCall(text, spatial.Operator.ToText(), spatial.Left, spatial.Right);
                break;
            case TemporalPredicate temporal:
                WriteCall(text, temporal.Operator.ToText(), temporal.Left, temporal.Right);
                break;
            case ArrayPredicate array:
                WriteCall(text, array.Operator.ToText(), array.Left, array.Right);
                break;
            case Arithmetic arithmetic:
                WriteOperand(text, arithmetic.Left);
                text.Append(' ').Append(arithmetic.Operator.ToText()).Append(' ');
                WriteOperand(text, arithmetic.Right);
                break;
            case Negate negate:
                text.Append('-');
                if (negate.Operand is NumberLiteral) text.Append('(').Append(Number(((NumberLiteral)negate.Operand).Value)).Append(')');
                else WriteOperand(text, negate.Operand);
                break;
            case PropertyRef property:
                WriteName(text, property.Name);
                break;
            case GeometryRef:
                text.Append("geometry");
                break;
            case FunctionCall function:
                text.Append(function.Name).Append('(');
                WriteList(text, function.Arguments);
                text.Append(')');
                break;
            case StringLiteral s:
                WriteString(text, s.Value);
                break;
            case NumberLiteral n:
                text.Append(Number(n.Value));
                break;
            case BooleanLiteral b:
                text.Append(b.Value ? "TRUE" : "FALSE");
                break;
            case DateLiteral d:
                text.Append("DATE('").Append(Date(d.Value)).Append("')");
                break;
            case TimestampLiteral t:
                text.Append("TIMESTAMP('").Append(Timestamp(t.Value)).Append("')");
                break;
            case IntervalLiteral interval:
                text.Append("INTERVAL(");
                WriteBound(text, interval.Start);
                text.Append(", ");
                WriteBound(text, interval.End);
                text.Append(')');
                break;
            case BboxLiteral bbox:
                text.Append("BBOX(").Append(Number(bbox.West)).Append(", ").Append(Number(bbox.South));
                if (bbox.MinZ is { } minZ) text.Append(", ").Append(Number(minZ));
                text.Append(", ").Append(Number(bbox.East)).Append(", ").Append(Number(bbox.North));
                if (bbox.MaxZ is { } maxZ) text.Append(", ").Append(Number(maxZ));
                text.Append(')');
                break;
            case GeometryLiteral geometry:
                WriteGeometry(text, geometry.Value, HasZ(geometry.Value), tagZ: true);
                break;
            case ArrayLiteral array:
                text.Append('(');
                WriteList(text, array.Items);
                text.Append(')');
                break;
            default:
                text.Append('<').Append(expression.GetType().Name).Append('>');
                break;
        }
    }

    /// <summary>An operand of an operator: compound expressions go in parentheses.</summary>
    private static void WriteOperand(StringBuilder text, Expression operand)
    {
        var compound = operand is And or Or or Not or Comparison or Like or Between or In or IsNull or Arithmetic or Negate;
        if (compound) text.Append('(');
        Write(text, operand);
        if (compound) text.Append(')');
    }

    private static void WriteJoined(StringBuilder text, ExpressionList operands, string separator)
    {
        for (var i = 0; i < operands.Count; i++)
        {
            if (i > 0) text.Append(separator);
            WriteOperand(text, operands[i]);
        }
    }

    private static void WriteList(StringBuilder text, ExpressionList items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) text.Append(", ");
            Write(text, items[i]);
        }
    }

    private static void WriteCall(StringBuilder text, string name, Expression left, Expression right)
    {
        text.Append(name).Append('(');
        Write(text, left);
        text.Append(", ");
        Write(text, right);
        text.Append(')');
    }

    private static void WriteBound(StringBuilder text, Expression? bound)
    {
        switch (bound)
        {
            case null: text.Append("'..'"); break;
            case DateLiteral d: text.Append('\'').Append(Date(d.Value)).Append('\''); break;
            case TimestampLiteral t: text.Append('\'').Append(Timestamp(t.Value)).Append('\''); break;
            default: Write(text, bound); break;
        }
    }

    private static void WriteName(StringBuilder text, string name)
    {
        if (Cql2Syntax.IsPlainIdentifier(name)) text.Append(name);
        else text.Append('"').Append(name).Append('"');
    }

    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\'': text.Append("''"); break;
                case '\\': text.Append(@"\\"); break;
                case '\a': text.Append(@"\a"); break;
                case '\b': text.Append(@"\b"); break;
                case '\t': text.Append(@"\t"); break;
                case '\n': text.Append(@"\n"); break;
                case '\v': text.Append(@"\v"); break;
                case '\f': text.Append(@"\f"); break;
                case '\r': text.Append(@"\r"); break;
                default: text.Append(c); break;
            }
        }
        text.Append('\'');
    }

    internal static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    internal static string Date(DateOnly value) => value.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);

    internal static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static bool HasZ(Geometry geometry) => Heights.Of(geometry) == HeightsPresent.All;

    private static void WriteGeometry(StringBuilder text, Geometry geometry, bool z, bool tagZ)
    {
        text.Append(geometry.GeometryType.ToUpperInvariant());
        if (z && tagZ) text.Append(" Z");
        switch (geometry)
        {
            case Point point:
                text.Append('(');
                WriteCoordinate(text, point.Coordinate, z);
                text.Append(')');
                break;
            case LineString line:
                WriteCoordinates(text, line.Coordinates, z);
                break;
            case Polygon polygon:
                WritePolygonText(text, polygon, z);
                break;
            case MultiPoint multiPoint:
                text.Append('(');
                for (var i = 0; i < multiPoint.NumGeometries; i++)
                {
                    if (i > 0) text.Append(", ");
                    text.Append('(');
                    WriteCoordinate(text, multiPoint.GetGeometryN(i).Coordinate, z);
                    text.Append(')');
                }
                text.Append(')');
                break;
            case MultiLineString multiLine:
                text.Append('(');
                for (var i = 0; i < multiLine.NumGeometries; i++)
                {
                    if (i > 0) text.Append(", ");
                    WriteCoordinates(text, multiLine.GetGeometryN(i).Coordinates, z);
                }
                text.Append(')');
                break;
            case MultiPolygon multiPolygon:
                text.Append('(');
                for (var i = 0; i < multiPolygon.NumGeometries; i++)
                {
                    if (i > 0) text.Append(", ");
                    WritePolygonText(text, (Polygon)multiPolygon.GetGeometryN(i), z);
                }
                text.Append(')');
                break;
            case GeometryCollection collection:
                text.Append('(');
                for (var i = 0; i < collection.NumGeometries; i++)
                {
                    if (i > 0) text.Append(", ");
                    WriteGeometry(text, collection.GetGeometryN(i), z, tagZ);
                }
                text.Append(')');
                break;
        }
    }

    private static void WritePolygonText(StringBuilder text, Polygon polygon, bool z)
    {
        text.Append('(');
        WriteCoordinates(text, polygon.ExteriorRing.Coordinates, z);
        foreach (var hole in polygon.InteriorRings)
        {
            text.Append(", ");
            WriteCoordinates(text, hole.Coordinates, z);
        }
        text.Append(')');
    }

    private static void WriteCoordinates(StringBuilder text, Coordinate[] coordinates, bool z)
    {
        text.Append('(');
        for (var i = 0; i < coordinates.Length; i++)
        {
            if (i > 0) text.Append(", ");
            WriteCoordinate(text, coordinates[i], z);
        }
        text.Append(')');
    }

    private static void WriteCoordinate(StringBuilder text, Coordinate coordinate, bool z)
    {
        text.Append(Number(coordinate.X)).Append(' ').Append(Number(coordinate.Y));
        if (z) text.Append(' ').Append(Number(coordinate.Z));
    }
}
