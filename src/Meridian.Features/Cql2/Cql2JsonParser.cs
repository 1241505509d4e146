using System.Globalization;
using System.Text.Json;
using Meridian.Storage.Filtering;
using NetTopologySuite.Geometries;

namespace Meridian.Features.Cql2;

/// <summary>
/// Parses cql2-json (OGC 21-065, the cql2.json schema) into the same expressions as <see cref="Cql2TextParser"/>:
/// <c>{"op":…,"args":[…]}</c> for operators and functions, <c>{"property":…}</c>, <c>{"date":…}</c>,
/// <c>{"timestamp":…}</c>, <c>{"interval":[…]}</c>, <c>{"bbox":[…]}</c>, GeoJSON geometries, JSON strings,
/// numbers, booleans and arrays. Operator names are matched without regard to case; any other op is a
/// function call. Positions are JSON paths (<c>$.args[1]</c>). Every failure is a <see cref="Cql2Exception"/>.
/// </summary>
public sealed class Cql2JsonParser
{
    private readonly Cql2ParserOptions _options;

    private Cql2JsonParser(Cql2ParserOptions options) => _options = options;

    public static Expression Parse(string json, Cql2ParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        options ??= Cql2ParserOptions.Default;
        if (json.Length > options.MaxLength)
        {
            throw Cql2Exception.At(SourcePosition.AtPath("$"), $"the filter is longer than the {options.MaxLength} characters allowed");
        }
        Cql2Grammar.RequireWellFormedUtf16(json, _ => SourcePosition.AtPath("$"));
        JsonDocument document;
        try
        {
            // The reader is not recursive, so a generous depth costs nothing; the parser enforces MaxDepth itself.
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = options.MaxDepth * 4 + 16 });
        }
        catch (JsonException e)
        {
            var path = SourcePosition.AtPath(string.IsNullOrEmpty(e.Path) ? "$" : e.Path);
            var where = $"line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}";
            throw e.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase)
                ? Cql2Exception.At(path, $"the filter nests deeper than the {options.MaxDepth} levels allowed ({where})")
                : Cql2Exception.At(path, $"malformed JSON ({where})");
        }
        using (document)
        {
            var parser = new Cql2JsonParser(options);
            return Cql2Grammar.RequirePredicate(parser.ParseValue(document.RootElement, "$", 1));
        }
    }

    private Expression ParseValue(JsonElement element, string path, int depth)
    {
        var position = SourcePosition.AtPath(path);
        if (depth > _options.MaxDepth) throw Cql2Exception.At(position, $"the filter nests deeper than the {_options.MaxDepth} levels allowed");
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return new StringLiteral(Text(element, path)) { Position = position };
            case JsonValueKind.Number:
                return new NumberLiteral(Number(element, path)) { Position = position };
            case JsonValueKind.True:
            case JsonValueKind.False:
                return new BooleanLiteral(element.GetBoolean()) { Position = position };
            case JsonValueKind.Array:
                return new ArrayLiteral(ParseItems(element, path, depth)) { Position = position };
            case JsonValueKind.Object:
                return ParseObject(element, path, depth);
            default:
                throw Cql2Exception.At(position, "expected an expression", "null");
        }
    }

    private ExpressionList ParseItems(JsonElement array, string path, int depth)
    {
        var items = new Expression[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            items[i] = ParseValue(item, Index(path, i), depth + 1);
            i++;
        }
        return ExpressionList.Create(items);
    }

    private Expression ParseObject(JsonElement element, string path, int depth)
    {
        var position = SourcePosition.AtPath(path);
        if (element.TryGetProperty("op", out var op)) return ParseOperation(element, op, path, depth);
        if (element.TryGetProperty("property", out var property))
        {
            var name = property.ValueKind == JsonValueKind.String ? Text(property, path + ".property") : "";
            if (name.Length == 0) throw Cql2Exception.At(SourcePosition.AtPath(path + ".property"), "expected a property name");
            return new PropertyRef(name) { Position = position };
        }
        if (element.TryGetProperty("date", out var date))
        {
            var text = date.ValueKind == JsonValueKind.String ? Text(date, path + ".date") : "";
            if (!Cql2Instants.TryParseDate(text, out var value)) throw Cql2Exception.At(SourcePosition.AtPath(path + ".date"), "expected a date (YYYY-MM-DD)", Show(date));
            return new DateLiteral(value) { Position = position };
        }
        if (element.TryGetProperty("timestamp", out var timestamp))
        {
            var text = timestamp.ValueKind == JsonValueKind.String ? Text(timestamp, path + ".timestamp") : "";
            if (!Cql2Instants.TryParseTimestamp(text, out var value))
            {
                throw Cql2Exception.At(SourcePosition.AtPath(path + ".timestamp"), "expected a UTC timestamp (YYYY-MM-DDThh:mm:ss[.fff]Z)", Show(timestamp));
            }
            return new TimestampLiteral(value) { Position = position };
        }
        if (element.TryGetProperty("interval", out var interval)) return ParseInterval(interval, path, depth);
        if (element.TryGetProperty("bbox", out var bbox) && !element.TryGetProperty("type", out _)) return ParseBbox(bbox, path);
        if (element.TryGetProperty("type", out _)) return new GeometryLiteral(ParseGeometry(element, path, new Cql2GeometryBuilder(_options.Crs), nested: false)) { Position = position };
        throw Cql2Exception.At(position,
            "expected an object with \"op\", \"property\", \"date\", \"timestamp\", \"interval\", \"bbox\" or a GeoJSON geometry");
    }

    private Expression ParseOperation(JsonElement element, JsonElement op, string path, int depth)
    {
        var position = SourcePosition.AtPath(path);
        var name = op.ValueKind == JsonValueKind.String ? Text(op, path + ".op") : "";
        if (name.Length == 0) throw Cql2Exception.At(SourcePosition.AtPath(path + ".op"), "expected an operator or function name", Show(op));
        if (!element.TryGetProperty("args", out var argsElement) || argsElement.ValueKind != JsonValueKind.Array)
        {
            throw Cql2Exception.At(position, $"expected an \"args\" array for \"{Cql2Grammar.Truncate(name)}\"");
        }
        var argsPath = path + ".args";
        var count = argsElement.GetArrayLength();
        var key = name.ToLowerInvariant();

        if (key is "and" or "or")
        {
            RequireCount(count >= 2, position, name, "at least 2 arguments", count);
            var operands = ParseItems(argsElement, argsPath, depth);
            foreach (var operand in operands) Cql2Grammar.RequirePredicate(operand);
            return key == "and" ? new And(operands) { Position = position } : new Or(operands) { Position = position };
        }
        if (key == "in")
        {
            RequireCount(count == 2, position, name, "2 arguments", count);
            var value = ParseValue(argsElement[0], Index(argsPath, 0), depth + 1);
            var list = argsElement[1];
            if (list.ValueKind != JsonValueKind.Array) throw Cql2Exception.At(SourcePosition.AtPath(Index(argsPath, 1)), "expected the list of IN as an array", Show(list));
            return new In(value, ParseItems(list, Index(argsPath, 1), depth + 1)) { Position = position };
        }

        var args = ParseItems(argsElement, argsPath, depth);
        switch (key)
        {
            case "not":
                RequireCount(count == 1, position, name, "1 argument", count);
                return new Not(Cql2Grammar.RequirePredicate(args[0])) { Position = position };
            case "=": return Binary(count, position, name, () => new Comparison(ComparisonOperator.Equal, args[0], args[1]));
            case "<>": return Binary(count, position, name, () => new Comparison(ComparisonOperator.NotEqual, args[0], args[1]));
            case "<": return Binary(count, position, name, () => new Comparison(ComparisonOperator.LessThan, args[0], args[1]));
            case ">": return Binary(count, position, name, () => new Comparison(ComparisonOperator.GreaterThan, args[0], args[1]));
            case "<=": return Binary(count, position, name, () => new Comparison(ComparisonOperator.LessThanOrEqual, args[0], args[1]));
            case ">=": return Binary(count, position, name, () => new Comparison(ComparisonOperator.GreaterThanOrEqual, args[0], args[1]));
            case "like": return Binary(count, position, name, () => new Like(args[0], args[1]));
            case "between":
                RequireCount(count == 3, position, name, "3 arguments", count);
                return new Between(args[0], args[1], args[2]) { Position = position };
            case "isnull":
                RequireCount(count == 1, position, name, "1 argument", count);
                return new IsNull(args[0]) { Position = position };
            case "casei":
                RequireCount(count == 1, position, name, "1 argument", count);
                return new CaseInsensitive(args[0]) { Position = position };
            case "accenti":
                RequireCount(count == 1, position, name, "1 argument", count);
                return new AccentInsensitive(args[0]) { Position = position };
            case "+": return Binary(count, position, name, () => new Arithmetic(ArithmeticOperator.Add, args[0], args[1]));
            case "-":
                if (count == 1) return new Negate(args[0]) { Position = position }; // not in the schema; text's unary minus
                return Binary(count, position, name, () => new Arithmetic(ArithmeticOperator.Subtract, args[0], args[1]));
            case "*": return Binary(count, position, name, () => new Arithmetic(ArithmeticOperator.Multiply, args[0], args[1]));
            case "/": return Binary(count, position, name, () => new Arithmetic(ArithmeticOperator.Divide, args[0], args[1]));
            case "%": return Binary(count, position, name, () => new Arithmetic(ArithmeticOperator.Modulo, args[0], args[1]));
            case "div": return Binary(count, position, name, () => new Arithmetic(ArithmeticOperator.IntegerDivide, args[0], args[1]));
            case "^": return Binary(count, position, name, () => new Arithmetic(ArithmeticOperator.Power, args[0], args[1]));
        }
        if (SpatialOperators.TryGetValue(key, out var spatial)) return Binary(count, position, name, () => new SpatialPredicate(spatial, args[0], args[1]));
        if (TemporalOperators.TryGetValue(key, out var temporal)) return Binary(count, position, name, () => new TemporalPredicate(temporal, args[0], args[1]));
        if (ArrayOperators.TryGetValue(key, out var array)) return Binary(count, position, name, () => new ArrayPredicate(array, args[0], args[1]));
        return new FunctionCall(name, args) { Position = position };
    }

    private static Expression Binary(int count, SourcePosition position, string name, Func<Expression> create)
    {
        RequireCount(count == 2, position, name, "2 arguments", count);
        return create() with { Position = position };
    }

    private static void RequireCount(bool ok, SourcePosition position, string name, string expected, int count)
    {
        if (!ok) throw Cql2Exception.At(position, $"\"{Cql2Grammar.Truncate(name)}\" expects {expected}", count.ToString(CultureInfo.InvariantCulture));
    }

    private IntervalLiteral ParseInterval(JsonElement interval, string path, int depth)
    {
        var intervalPath = path + ".interval";
        if (interval.ValueKind != JsonValueKind.Array || interval.GetArrayLength() != 2)
        {
            throw Cql2Exception.At(SourcePosition.AtPath(intervalPath), "expected an array of 2 bounds", Show(interval));
        }
        return new IntervalLiteral(
            ParseBound(interval[0], Index(intervalPath, 0), depth + 1),
            ParseBound(interval[1], Index(intervalPath, 1), depth + 1)) { Position = SourcePosition.AtPath(path) };
    }

    private Expression? ParseBound(JsonElement bound, string path, int depth)
    {
        var position = SourcePosition.AtPath(path);
        if (bound.ValueKind == JsonValueKind.String)
        {
            var text = Text(bound, path);
            if (text == "..") return null;
            var instant = Cql2Instants.ParseInstant(text)
                ?? throw Cql2Exception.At(position, "expected a date, a UTC timestamp or \"..\" as an interval bound", Show(bound));
            return instant with { Position = position };
        }
        if (bound.ValueKind == JsonValueKind.Object)
        {
            var value = ParseValue(bound, path, depth);
            if (value is PropertyRef or FunctionCall or DateLiteral or TimestampLiteral) return value;
            throw Cql2Exception.At(position, "expected a date, a timestamp, \"..\", a property or a function as an interval bound", Cql2Grammar.Describe(value));
        }
        throw Cql2Exception.At(position, "expected a date, a timestamp, \"..\", a property or a function as an interval bound", Show(bound));
    }

    private BboxLiteral ParseBbox(JsonElement bbox, string path)
    {
        var bboxPath = path + ".bbox";
        if (bbox.ValueKind != JsonValueKind.Array || bbox.GetArrayLength() is not (4 or 6))
        {
            throw Cql2Exception.At(SourcePosition.AtPath(bboxPath), "expected an array of 4 or 6 numbers", Show(bbox));
        }
        var values = new double[bbox.GetArrayLength()];
        for (var i = 0; i < values.Length; i++) values[i] = Number(bbox[i], Index(bboxPath, i));
        var position = SourcePosition.AtPath(path);
        return Cql2GeometryBuilder.Bbox(values, _options.Crs, position);
    }

    // ---- GeoJSON ----

    private static Geometry ParseGeometry(JsonElement element, string path, Cql2GeometryBuilder builder, bool nested)
    {
        var position = SourcePosition.AtPath(path);
        var type = element.GetProperty("type");
        var name = type.ValueKind == JsonValueKind.String ? Text(type, path + ".type") : "";
        if (name == "GeometryCollection")
        {
            if (nested) throw Cql2Exception.At(position, "a GeometryCollection cannot hold another GeometryCollection");
            var members = Member(element, "geometries", path);
            return builder.Collection(Items(members, path + ".geometries", (member, at) =>
                member.ValueKind == JsonValueKind.Object && member.TryGetProperty("type", out _)
                    ? ParseGeometry(member, at, builder, nested: true)
                    : throw Cql2Exception.At(SourcePosition.AtPath(at), "expected a GeoJSON geometry", Show(member))));
        }

        var coordinates = Member(element, "coordinates", path);
        var at = path + ".coordinates";
        switch (name)
        {
            case "Point":
                return builder.Point(Position(coordinates, at, builder));
            case "LineString":
                return builder.LineString(Positions(coordinates, at, builder), SourcePosition.AtPath(at));
            case "Polygon":
                return Polygon(coordinates, at, builder);
            case "MultiPoint":
                return builder.MultiPoint(Items(coordinates, at, (c, p) => builder.Point(Position(c, p, builder))));
            case "MultiLineString":
                return builder.MultiLineString(Items(coordinates, at, (c, p) => builder.LineString(Positions(c, p, builder), SourcePosition.AtPath(p))));
            case "MultiPolygon":
                return builder.MultiPolygon(Items(coordinates, at, (c, p) => Polygon(c, p, builder)));
            default:
                throw Cql2Exception.At(SourcePosition.AtPath(path + ".type"), "expected a GeoJSON geometry type", Show(type));
        }
    }

    private static Polygon Polygon(JsonElement rings, string path, Cql2GeometryBuilder builder) =>
        builder.Polygon(Items(rings, path, (c, p) => builder.Ring(Positions(c, p, builder), SourcePosition.AtPath(p))), SourcePosition.AtPath(path));

    private static T[] Items<T>(JsonElement array, string path, Func<JsonElement, string, T> parse)
    {
        if (array.ValueKind != JsonValueKind.Array) throw Cql2Exception.At(SourcePosition.AtPath(path), "expected an array", Show(array));
        var items = new T[array.GetArrayLength()];
        if (items.Length == 0) throw Cql2Exception.At(SourcePosition.AtPath(path), "expected at least one item", "an empty array");
        for (var i = 0; i < items.Length; i++) items[i] = parse(array[i], Index(path, i));
        return items;
    }

    private static Coordinate[] Positions(JsonElement array, string path, Cql2GeometryBuilder builder) =>
        Items(array, path, (c, p) => Position(c, p, builder));

    private static Coordinate Position(JsonElement position, string path, Cql2GeometryBuilder builder)
    {
        var at = SourcePosition.AtPath(path);
        if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() is not (2 or 3))
        {
            throw Cql2Exception.At(at, "expected a position of 2 or 3 numbers", Show(position));
        }
        var x = Number(position[0], Index(path, 0));
        var y = Number(position[1], Index(path, 1));
        double? z = position.GetArrayLength() == 3 ? Number(position[2], Index(path, 2)) : null;
        return builder.Coordinate(x, y, z, at);
    }

    private static JsonElement Member(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var member)) throw Cql2Exception.At(SourcePosition.AtPath(path), $"expected a \"{name}\" member");
        return member;
    }

    // ---- helpers ----

    private static double Number(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number) throw Cql2Exception.At(SourcePosition.AtPath(path), "expected a number", Show(element));
        if (!element.TryGetDouble(out var value) || !double.IsFinite(value)) throw Cql2Exception.At(SourcePosition.AtPath(path), "number out of range", Show(element));
        return value;
    }

    /// <summary>
    /// A JSON string's value. An escaped lone surrogate (<c>"\ud800"</c>) is valid JSON text but no string;
    /// System.Text.Json refuses to decode it with an InvalidOperationException.
    /// </summary>
    private static string Text(JsonElement element, string path)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Cql2Exception.At(SourcePosition.AtPath(path), "a string escapes half of a surrogate pair (\\uD800-\\uDFFF alone)");
        }
    }

    private static string Index(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    private static string Show(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => Cql2Grammar.Truncate(element.GetRawText()),
        JsonValueKind.Undefined => "nothing",
        _ => Cql2Grammar.Truncate(element.GetRawText()),
    };

    private static readonly Dictionary<string, SpatialOperator> SpatialOperators =
        Enum.GetValues<SpatialOperator>().ToDictionary(op => op.ToJson().ToLowerInvariant());

    private static readonly Dictionary<string, TemporalOperator> TemporalOperators =
        Enum.GetValues<TemporalOperator>().ToDictionary(op => op.ToJson().ToLowerInvariant());

    private static readonly Dictionary<string, ArrayOperator> ArrayOperators =
        Enum.GetValues<ArrayOperator>().ToDictionary(op => op.ToJson().ToLowerInvariant());
}
