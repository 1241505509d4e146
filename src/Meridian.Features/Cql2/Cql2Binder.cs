using System.Globalization;
using Meridian.Storage.Filtering;
using Meridian.Storage.Schema;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace Meridian.Features.Cql2;

/// <summary>The value types of CQL2 expressions, as the binder checks them.</summary>
public enum Cql2Type
{
    /// <summary>Not known before run time (a function declared to return anything); accepted everywhere.</summary>
    Any,
    String,
    /// <summary>Integer or decimal: CQL2 compares them with each other.</summary>
    Number,
    Boolean,
    Date,
    Timestamp,
    Interval,
    Geometry,
    Array,
}

/// <summary>A function that filters may call (the API lists them at <c>/functions</c>) and the stores implement.</summary>
public sealed record Cql2Function(string Name, Cql2Type ReturnType, IReadOnlyList<Cql2Type> Parameters);

public sealed record Cql2BinderOptions
{
    public static Cql2BinderOptions Default { get; } = new();

    /// <summary>
    /// More names under which the collection's geometry is a queryable besides <see cref="Cql2Binder.GeometryName"/>,
    /// such as the column name the queryables publish (<c>geom</c>).
    /// </summary>
    public IReadOnlyList<string> GeometryAliases { get; init; } = [];

    /// <summary>The functions filters may call; none by default, so every function call is refused.</summary>
    public IReadOnlyList<Cql2Function> Functions { get; init; } = [];

    /// <summary>Refuse geometry and BBOX coordinates outside CRS84's longitude/latitude ranges (on by default).</summary>
    public bool RequireCrs84Coordinates { get; init; } = true;

    /// <summary>Refuse geometry literals that are not valid in the OGC sense (self-intersecting rings and the like).</summary>
    public bool RequireValidGeometries { get; init; } = true;
}

/// <summary>
/// Checks a parsed expression against a collection's queryables and turns it into a <see cref="Filter"/> a store
/// can run: every property must exist and be queryable, operand types must agree (no LIKE on a number, no
/// spatial function on a string), geometry literals must be valid CRS84, and only the configured functions may
/// be called. The geometry queryable (<see cref="GeometryName"/> and <see cref="Cql2BinderOptions.GeometryAliases"/>)
/// becomes a <see cref="GeometryRef"/>; a string literal compared with a date or timestamp becomes a date or
/// timestamp literal. A schema property of the same name wins over a geometry name.
/// </summary>
public sealed class Cql2Binder
{
    /// <summary>The name CQL2 gives a collection's geometry.</summary>
    public const string GeometryName = "geometry";

    private const int MaxDepth = 1000;

    private readonly CollectionSchema _schema;
    private readonly Cql2BinderOptions _options;
    private readonly Dictionary<string, Cql2Function> _functions;
    private int _depth;

    public Cql2Binder(CollectionSchema schema, Cql2BinderOptions? options = null)
    {
        _schema = schema;
        _options = options ?? Cql2BinderOptions.Default;
        _functions = _options.Functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
    }

    public Filter Bind(Expression expression)
    {
        var (bound, type) = BindNode(expression);
        if (type is not (Cql2Type.Boolean or Cql2Type.Any))
        {
            throw Cql2Exception.At(expression.Position, "expected a predicate", Cql2Grammar.Describe(expression));
        }
        return new Filter(bound);
    }

    private (Expression Node, Cql2Type Type) BindNode(Expression expression)
    {
        if (++_depth > MaxDepth) throw Cql2Exception.At(expression.Position, "the filter nests too deeply");
        try
        {
            return BindCore(expression);
        }
        finally
        {
            _depth--;
        }
    }

    private (Expression Node, Cql2Type Type) BindCore(Expression expression)
    {
        switch (expression)
        {
            case StringLiteral: return (expression, Cql2Type.String);
            case NumberLiteral: return (expression, Cql2Type.Number);
            case BooleanLiteral: return (expression, Cql2Type.Boolean);
            case DateLiteral: return (expression, Cql2Type.Date);
            case TimestampLiteral: return (expression, Cql2Type.Timestamp);
            case IntervalLiteral interval: return (BindInterval(interval), Cql2Type.Interval);
            case GeometryLiteral geometry:
                CheckGeometry(geometry);
                return (expression, Cql2Type.Geometry);
            case BboxLiteral bbox:
                CheckBbox(bbox);
                return (expression, Cql2Type.Geometry);
            case ArrayLiteral array:
                return (array with { Items = BindAll(array.Items) }, Cql2Type.Array);
            case PropertyRef property:
                return BindProperty(property);
            case GeometryRef:
                return (expression, Cql2Type.Geometry);
            case FunctionCall function:
                return BindFunction(function);

            case And and:
                return (and with { Operands = BindPredicates(and.Operands) }, Cql2Type.Boolean);
            case Or or:
                return (or with { Operands = BindPredicates(or.Operands) }, Cql2Type.Boolean);
            case Not not:
                return (not with { Operand = BindPredicate(not.Operand) }, Cql2Type.Boolean);
            case Comparison comparison:
            {
                var (left, right) = BindComparable(comparison.Left, comparison.Right, comparison.Operator.ToText(), comparison.Position);
                return (comparison with { Left = left, Right = right }, Cql2Type.Boolean);
            }
            case Like like:
                return (like with { Value = Require(like.Value, "LIKE", Cql2Type.String), Pattern = Require(like.Pattern, "LIKE", Cql2Type.String) }, Cql2Type.Boolean);
            case Between between:
                return (between with
                {
                    Value = Require(between.Value, "BETWEEN", Cql2Type.Number),
                    Low = Require(between.Low, "BETWEEN", Cql2Type.Number),
                    High = Require(between.High, "BETWEEN", Cql2Type.Number),
                }, Cql2Type.Boolean);
            case In @in:
                return (BindIn(@in), Cql2Type.Boolean);
            case IsNull isNull:
                return (isNull with { Operand = BindNode(isNull.Operand).Node }, Cql2Type.Boolean);
            case CaseInsensitive casei:
                return (casei with { Operand = Require(casei.Operand, "CASEI", Cql2Type.String) }, Cql2Type.String);
            case AccentInsensitive accenti:
                return (accenti with { Operand = Require(accenti.Operand, "ACCENTI", Cql2Type.String) }, Cql2Type.String);
            case SpatialPredicate spatial:
            {
                var name = spatial.Operator.ToText();
                return (spatial with { Left = Require(spatial.Left, name, Cql2Type.Geometry), Right = Require(spatial.Right, name, Cql2Type.Geometry) }, Cql2Type.Boolean);
            }
            case TemporalPredicate temporal:
            {
                var name = temporal.Operator.ToText();
                return (temporal with { Left = RequireTemporal(temporal.Left, name), Right = RequireTemporal(temporal.Right, name) }, Cql2Type.Boolean);
            }
            case ArrayPredicate array:
            {
                var name = array.Operator.ToText();
                return (array with { Left = Require(array.Left, name, Cql2Type.Array), Right = Require(array.Right, name, Cql2Type.Array) }, Cql2Type.Boolean);
            }
            case Arithmetic arithmetic:
            {
                var name = "'" + arithmetic.Operator.ToText() + "'";
                return (arithmetic with { Left = Require(arithmetic.Left, name, Cql2Type.Number), Right = Require(arithmetic.Right, name, Cql2Type.Number) }, Cql2Type.Number);
            }
            case Negate negate:
                return (negate with { Operand = Require(negate.Operand, "'-'", Cql2Type.Number) }, Cql2Type.Number);
            default:
                throw Cql2Exception.At(expression.Position, "unsupported expression", expression.GetType().Name);
        }
    }

    // ---- properties and functions ----

    private (Expression, Cql2Type) BindProperty(PropertyRef property)
    {
        var schemaProperty = _schema.FindProperty(property.Name);
        if (schemaProperty is null)
        {
            if (IsGeometryName(property.Name)) return (new GeometryRef { Position = property.Position }, Cql2Type.Geometry);
            var hint = _schema.Properties.FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase))?.Name
                ?? (IsGeometryName(property.Name, StringComparison.OrdinalIgnoreCase) ? GeometryName : null);
            var message = $"unknown property '{Cql2Grammar.Truncate(property.Name)}' at {property.Position}";
            throw new Cql2Exception(hint is null ? message : $"{message} (did you mean '{hint}'?)", property.Position);
        }
        var type = schemaProperty.Type switch
        {
            PropertyType.String => Cql2Type.String,
            PropertyType.Integer or PropertyType.Number => Cql2Type.Number,
            PropertyType.Boolean => Cql2Type.Boolean,
            PropertyType.Date => Cql2Type.Date,
            PropertyType.DateTime => Cql2Type.Timestamp,
            _ => throw new Cql2Exception(
                $"property '{Cql2Grammar.Truncate(property.Name)}' at {property.Position} is not queryable (its values are neither strings, numbers, booleans, dates nor timestamps)",
                property.Position),
        };
        return (property, type);
    }

    private bool IsGeometryName(string name, StringComparison comparison = StringComparison.Ordinal) =>
        string.Equals(name, GeometryName, comparison) || _options.GeometryAliases.Any(a => string.Equals(a, name, comparison));

    private (Expression, Cql2Type) BindFunction(FunctionCall function)
    {
        if (!_functions.TryGetValue(function.Name, out var signature))
        {
            throw new Cql2Exception($"unsupported function '{Cql2Grammar.Truncate(function.Name)}' at {function.Position}", function.Position);
        }
        if (function.Arguments.Count != signature.Parameters.Count)
        {
            throw new Cql2Exception(
                $"function '{signature.Name}' at {function.Position} takes {signature.Parameters.Count} argument(s) but was given {function.Arguments.Count}",
                function.Position);
        }
        var arguments = new Expression[function.Arguments.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            var expected = signature.Parameters[i];
            arguments[i] = expected == Cql2Type.Any
                ? BindNode(function.Arguments[i]).Node
                : Require(function.Arguments[i], $"function '{signature.Name}'", expected);
        }
        return (function with { Arguments = ExpressionList.Create(arguments) }, signature.ReturnType);
    }

    // ---- operands ----

    private ExpressionList BindAll(ExpressionList items)
    {
        var bound = new Expression[items.Count];
        for (var i = 0; i < bound.Length; i++) bound[i] = BindNode(items[i]).Node;
        return ExpressionList.Create(bound);
    }

    private ExpressionList BindPredicates(ExpressionList operands)
    {
        var bound = new Expression[operands.Count];
        for (var i = 0; i < bound.Length; i++) bound[i] = BindPredicate(operands[i]);
        return ExpressionList.Create(bound);
    }

    private Expression BindPredicate(Expression operand)
    {
        var (node, type) = BindNode(operand);
        if (type is not (Cql2Type.Boolean or Cql2Type.Any)) throw Cql2Exception.At(operand.Position, "expected a predicate", Describe(operand, type));
        return node;
    }

    /// <summary>Binds an operand that must have <paramref name="expected"/> type (or one not known before run time).</summary>
    private Expression Require(Expression operand, string construct, Cql2Type expected)
    {
        var (node, type) = BindNode(operand);
        if (type != expected && type != Cql2Type.Any)
        {
            throw Cql2Exception.At(operand.Position, $"{construct} expects {Article(expected)}", Describe(operand, type));
        }
        return node;
    }

    private Expression RequireTemporal(Expression operand, string construct)
    {
        var (node, type) = BindNode(operand);
        if (type is not (Cql2Type.Date or Cql2Type.Timestamp or Cql2Type.Interval or Cql2Type.Any))
        {
            throw Cql2Exception.At(operand.Position, $"{construct} expects a date, a timestamp or an interval", Describe(operand, type));
        }
        return node;
    }

    private In BindIn(In @in)
    {
        var (value, valueType) = BindNode(@in.Value);
        CheckComparable(value, valueType, "IN");
        var items = new Expression[@in.Items.Count];
        for (var i = 0; i < items.Length; i++)
        {
            var (item, itemType) = BindNode(@in.Items[i]);
            CheckComparable(item, itemType, "IN");
            items[i] = Unify(value, valueType, item, itemType, "IN", @in.Position).Right;
        }
        return @in with { Value = value, Items = ExpressionList.Create(items) };
    }

    /// <summary>Both sides of a binary comparison: same kind of value, a string literal read as a date or timestamp where one is compared.</summary>
    private (Expression Left, Expression Right) BindComparable(Expression leftOperand, Expression rightOperand, string op, SourcePosition position)
    {
        var (left, leftType) = BindNode(leftOperand);
        var (right, rightType) = BindNode(rightOperand);
        CheckComparable(left, leftType, $"'{op}'");
        CheckComparable(right, rightType, $"'{op}'");
        return Unify(left, leftType, right, rightType, $"'{op}'", position);
    }

    private void CheckComparable(Expression operand, Cql2Type type, string construct)
    {
        var instead = type switch
        {
            Cql2Type.Geometry => "S_EQUALS and the other spatial functions",
            Cql2Type.Interval => "T_EQUALS and the other temporal functions",
            Cql2Type.Array => "A_EQUALS and the other array functions",
            _ => null,
        };
        if (instead is not null)
        {
            throw new Cql2Exception($"{construct} cannot compare {Describe(operand, type)} at {operand.Position}; use {instead}", operand.Position);
        }
    }

    private (Expression Left, Expression Right) Unify(
        Expression left, Cql2Type leftType, Expression right, Cql2Type rightType, string construct, SourcePosition position)
    {
        if (leftType == Cql2Type.Any || rightType == Cql2Type.Any || Category(leftType) == Category(rightType)) return (left, right);
        if (left is StringLiteral leftString && IsInstant(rightType) && AsInstant(leftString) is { } leftInstant) return (leftInstant, right);
        if (right is StringLiteral rightString && IsInstant(leftType) && AsInstant(rightString) is { } rightInstant) return (left, rightInstant);
        var at = right.Position.IsNone ? position : right.Position;
        throw new Cql2Exception(
            $"type mismatch at {at}: {construct} compares {Describe(left, leftType)} with {Describe(right, rightType)}", at);
    }

    private static bool IsInstant(Cql2Type type) => type is Cql2Type.Date or Cql2Type.Timestamp;

    /// <summary>Dates and timestamps compare with each other; integers with decimals.</summary>
    private static Cql2Type Category(Cql2Type type) => type == Cql2Type.Timestamp ? Cql2Type.Date : type;

    private static Literal? AsInstant(StringLiteral literal) =>
        Cql2Instants.ParseInstant(literal.Value) is { } instant ? instant with { Position = literal.Position } : null;

    // ---- literals ----

    private IntervalLiteral BindInterval(IntervalLiteral interval)
    {
        var start = BindBound(interval.Start, interval);
        var end = BindBound(interval.End, interval);
        if (Instant(start, atEnd: false) is { } from && Instant(end, atEnd: true) is { } to && from > to)
        {
            throw new Cql2Exception($"the interval at {interval.Position} starts after it ends", interval.Position);
        }
        return interval with { Start = start, End = end };
    }

    private Expression? BindBound(Expression? bound, IntervalLiteral interval)
    {
        if (bound is null) return null;
        var (node, type) = BindNode(bound);
        if (type is not (Cql2Type.Date or Cql2Type.Timestamp or Cql2Type.Any))
        {
            var at = bound.Position.IsNone ? interval.Position : bound.Position;
            throw Cql2Exception.At(at, "an interval bound must be a date or a timestamp", Describe(bound, type));
        }
        return node;
    }

    private static DateTime? Instant(Expression? bound, bool atEnd) => bound switch
    {
        DateLiteral d => d.Value.ToDateTime(atEnd ? TimeOnly.MaxValue : TimeOnly.MinValue, DateTimeKind.Utc),
        TimestampLiteral t => t.Value.UtcDateTime,
        _ => null,
    };

    private void CheckGeometry(GeometryLiteral literal)
    {
        var geometry = literal.Value;
        if (_options.RequireCrs84Coordinates)
        {
            foreach (var coordinate in geometry.Coordinates)
            {
                if (coordinate.X is < -180 or > 180 || coordinate.Y is < -90 or > 90)
                {
                    throw new Cql2Exception(
                        $"the position ({Format(coordinate.X)} {Format(coordinate.Y)}) of the geometry at {literal.Position} is outside CRS84 (longitude -180..180, latitude -90..90)",
                        literal.Position);
                }
            }
        }
        if (_options.RequireValidGeometries && geometry is not (Point or MultiPoint))
        {
            var error = new IsValidOp(geometry).ValidationError;
            if (error is not null)
            {
                var at = error.Coordinate is { } c ? $" near ({Format(c.X)} {Format(c.Y)})" : "";
                throw new Cql2Exception($"the geometry at {literal.Position} is not valid: {error.Message}{at}", literal.Position);
            }
        }
    }

    private void CheckBbox(BboxLiteral bbox)
    {
        if (_options.RequireCrs84Coordinates
            && (bbox.West is < -180 or > 180 || bbox.East is < -180 or > 180 || bbox.South is < -90 or > 90 || bbox.North is < -90 or > 90))
        {
            throw new Cql2Exception($"the BBOX at {bbox.Position} is outside CRS84 (longitude -180..180, latitude -90..90)", bbox.Position);
        }
        if (bbox.South > bbox.North)
        {
            throw new Cql2Exception($"the BBOX at {bbox.Position} has its south edge ({Format(bbox.South)}) north of its north edge ({Format(bbox.North)})", bbox.Position);
        }
        if (bbox.MinZ > bbox.MaxZ)
        {
            throw new Cql2Exception($"the BBOX at {bbox.Position} has its lowest height above its highest", bbox.Position);
        }
    }

    // ---- messages ----

    private string Describe(Expression expression, Cql2Type type) => expression switch
    {
        PropertyRef p when _schema.FindProperty(p.Name) is { } property => $"property '{Cql2Grammar.Truncate(p.Name)}' ({TypeName(property.Type)})",
        _ => Cql2Grammar.Describe(expression) + (expression is FunctionCall ? $" ({TypeName(type)})" : ""),
    };

    private static string TypeName(PropertyType type) => type switch
    {
        PropertyType.DateTime => "timestamp",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static string TypeName(Cql2Type type) => type.ToString().ToLowerInvariant();

    private static string Article(Cql2Type type) => type switch
    {
        Cql2Type.Interval or Cql2Type.Array => "an " + TypeName(type),
        _ => "a " + TypeName(type),
    };

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
