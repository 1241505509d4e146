using System.Globalization;
using System.Text;
using Meridian.Storage.Filtering;
using NetTopologySuite.Geometries;

namespace Meridian.Features.Cql2;

/// <summary>
/// Parses cql2-text (OGC 21-065, Annex B) by recursive descent. Precedence, loosest first: OR; AND; NOT;
/// the predicates (comparison, LIKE, BETWEEN, IN, IS NULL); + and -; *, /, % and div; ^ (right-associative);
/// unary minus. Keywords are case-insensitive; a keyword used as a property name must be double-quoted
/// (<c>"date"</c>), except where no keyword can stand (<c>start</c>, <c>end</c> and <c>boolean</c> are plain names).
/// Every failure is a <see cref="Cql2Exception"/> with the character offset where the filter goes wrong.
/// </summary>
public sealed class Cql2TextParser
{
    private readonly string _text;
    private readonly Cql2ParserOptions _options;
    private Token _token;
    private int _depth;

    private Cql2TextParser(string text, Cql2ParserOptions options)
    {
        _text = text;
        _options = options;
    }

    public static Expression Parse(string text, Cql2ParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= Cql2ParserOptions.Default;
        if (text.Length > options.MaxLength)
        {
            throw Cql2Exception.At(SourcePosition.AtOffset(options.MaxLength),
                $"the filter is longer than the {options.MaxLength} characters allowed");
        }
        Cql2Grammar.RequireWellFormedUtf16(text, SourcePosition.AtOffset);
        var parser = new Cql2TextParser(text, options);
        parser._token = parser.Scan(0);
        if (parser._token.Kind == TokenKind.End) throw Cql2Exception.At(SourcePosition.AtOffset(0), "expected a filter", "an empty text");
        var expression = Cql2Grammar.RequirePredicate(parser.ParseOr());
        if (parser._token.Kind != TokenKind.End) throw parser.Expected("AND, OR or the end of the filter");
        return expression;
    }

    // ---- boolean expressions ----

    private Expression ParseOr()
    {
        Enter();
        var first = ParseAnd();
        if (IsKeyword("OR"))
        {
            var position = Here;
            var operands = new List<Expression> { Cql2Grammar.RequirePredicate(first) };
            while (IsKeyword("OR"))
            {
                Advance();
                operands.Add(Cql2Grammar.RequirePredicate(ParseAnd()));
            }
            first = new Or(ExpressionList.Create(operands.ToArray())) { Position = position };
        }
        Exit();
        return first;
    }

    private Expression ParseAnd()
    {
        var first = ParseNot();
        if (!IsKeyword("AND")) return first;
        var position = Here;
        var operands = new List<Expression> { Cql2Grammar.RequirePredicate(first) };
        while (IsKeyword("AND"))
        {
            Advance();
            operands.Add(Cql2Grammar.RequirePredicate(ParseNot()));
        }
        return new And(ExpressionList.Create(operands.ToArray())) { Position = position };
    }

    private Expression ParseNot()
    {
        if (!IsKeyword("NOT")) return ParsePredicate();
        var position = Here;
        Advance();
        Enter();
        var operand = Cql2Grammar.RequirePredicate(ParseNot());
        Exit();
        return new Not(operand) { Position = position };
    }

    private Expression ParsePredicate()
    {
        var left = ParseAdditive();
        var position = Here;
        switch (_token.Kind)
        {
            case TokenKind.Equal: return ParseComparison(left, ComparisonOperator.Equal);
            case TokenKind.NotEqual: return ParseComparison(left, ComparisonOperator.NotEqual);
            case TokenKind.Less: return ParseComparison(left, ComparisonOperator.LessThan);
            case TokenKind.Greater: return ParseComparison(left, ComparisonOperator.GreaterThan);
            case TokenKind.LessOrEqual: return ParseComparison(left, ComparisonOperator.LessThanOrEqual);
            case TokenKind.GreaterOrEqual: return ParseComparison(left, ComparisonOperator.GreaterThanOrEqual);
        }
        if (IsKeyword("NOT"))
        {
            Advance();
            if (!IsKeyword("LIKE") && !IsKeyword("BETWEEN") && !IsKeyword("IN")) throw Expected("LIKE, BETWEEN or IN after NOT");
            return new Not(ParseNegatable(left)) { Position = position };
        }
        if (IsKeyword("LIKE") || IsKeyword("BETWEEN") || IsKeyword("IN")) return ParseNegatable(left);
        if (IsKeyword("IS"))
        {
            Advance();
            var negated = IsKeyword("NOT");
            var notPosition = Here;
            if (negated) Advance();
            if (!IsKeyword("NULL")) throw Expected(negated ? "NULL" : "NULL or NOT NULL after IS");
            Advance();
            Expression isNull = new IsNull(left) { Position = position };
            return negated ? new Not(isNull) { Position = notPosition } : isNull;
        }
        return left;
    }

    private Comparison ParseComparison(Expression left, ComparisonOperator op)
    {
        var position = Here;
        Advance();
        return new Comparison(op, left, ParseAdditive()) { Position = position };
    }

    /// <summary>LIKE, BETWEEN or IN, the predicates that take a NOT before their keyword.</summary>
    private Expression ParseNegatable(Expression value)
    {
        var position = Here;
        if (IsKeyword("LIKE"))
        {
            Advance();
            return new Like(value, ParseAdditive()) { Position = position };
        }
        if (IsKeyword("BETWEEN"))
        {
            Advance();
            var low = ParseAdditive();
            if (!IsKeyword("AND")) throw Expected("AND between the bounds of BETWEEN");
            Advance();
            return new Between(value, low, ParseAdditive()) { Position = position };
        }
        Advance(); // IN
        Expect(TokenKind.LeftParen, "'(' after IN");
        var items = new List<Expression>();
        Enter();
        do
        {
            items.Add(ParseAdditive());
        }
        while (Accept(TokenKind.Comma));
        Exit();
        Expect(TokenKind.RightParen, "',' or ')' in the IN list");
        return new In(value, ExpressionList.Create(items.ToArray())) { Position = position };
    }

    // ---- arithmetic ----

    private Expression ParseAdditive()
    {
        var left = ParseMultiplicative();
        var chain = 0;
        while (_token.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = _token.Kind == TokenKind.Plus ? ArithmeticOperator.Add : ArithmeticOperator.Subtract;
            var position = Here;
            Enter(); // each operator of a chain deepens the (left-leaning) tree
            chain++;
            Advance();
            left = new Arithmetic(op, left, ParseMultiplicative()) { Position = position };
        }
        _depth -= chain;
        return left;
    }

    private Expression ParseMultiplicative()
    {
        var left = ParsePower();
        var chain = 0;
        while (true)
        {
            ArithmeticOperator op;
            if (_token.Kind == TokenKind.Star) op = ArithmeticOperator.Multiply;
            else if (_token.Kind == TokenKind.Slash) op = ArithmeticOperator.Divide;
            else if (_token.Kind == TokenKind.Percent) op = ArithmeticOperator.Modulo;
            else if (IsKeyword("DIV")) op = ArithmeticOperator.IntegerDivide;
            else break;
            var position = Here;
            Enter();
            chain++;
            Advance();
            left = new Arithmetic(op, left, ParsePower()) { Position = position };
        }
        _depth -= chain;
        return left;
    }

    private Expression ParsePower()
    {
        var left = ParseUnary();
        if (_token.Kind != TokenKind.Caret) return left;
        var position = Here;
        Advance();
        Enter();
        var right = ParsePower();
        Exit();
        return new Arithmetic(ArithmeticOperator.Power, left, right) { Position = position };
    }

    private Expression ParseUnary()
    {
        if (_token.Kind is not (TokenKind.Minus or TokenKind.Plus)) return ParsePrimary();
        var minus = _token.Kind == TokenKind.Minus;
        var position = Here;
        Advance();
        if (_token.Kind == TokenKind.Number)
        {
            var value = NumberValue();
            Advance();
            return new NumberLiteral(minus ? -value : value) { Position = position };
        }
        if (!minus) throw Expected("a number after '+'");
        Enter();
        var operand = ParseUnary();
        Exit();
        return new Negate(operand) { Position = position };
    }

    // ---- primaries ----

    private Expression ParsePrimary()
    {
        var position = Here;
        switch (_token.Kind)
        {
            case TokenKind.Number:
            {
                var value = NumberValue();
                Advance();
                return new NumberLiteral(value) { Position = position };
            }
            case TokenKind.String:
            {
                var value = StringValue();
                Advance();
                return new StringLiteral(value) { Position = position };
            }
            case TokenKind.QuotedIdentifier:
            {
                var name = _text.Substring(_token.Start + 1, _token.Length - 2);
                Advance();
                return new PropertyRef(name) { Position = position };
            }
            case TokenKind.LeftParen:
                return ParseParenthesized(forceArray: false);
            case TokenKind.Identifier:
                return ParseWord();
            default:
                throw Expected("an expression");
        }
    }

    /// <summary>
    /// "(" … ")": a sub-expression, or an array when it holds no item or more than one. Where only an array may
    /// stand (the arguments of A_EQUALS and the other array functions) a single item is an array too.
    /// </summary>
    private Expression ParseParenthesized(bool forceArray)
    {
        var position = Here;
        Advance();
        if (Accept(TokenKind.RightParen)) return new ArrayLiteral(ExpressionList.Empty) { Position = position };
        Enter();
        var first = ParseOr();
        if (_token.Kind != TokenKind.Comma && !forceArray)
        {
            Expect(TokenKind.RightParen, "')'");
            Exit();
            return first;
        }
        var items = new List<Expression> { first };
        while (Accept(TokenKind.Comma)) items.Add(ParseOr());
        Expect(TokenKind.RightParen, "',' or ')'");
        Exit();
        return new ArrayLiteral(ExpressionList.Create(items.ToArray())) { Position = position };
    }

    private Expression ParseWord()
    {
        var position = Here;
        var word = Word;
        if (word.Equals("TRUE", StringComparison.OrdinalIgnoreCase) || word.Equals("FALSE", StringComparison.OrdinalIgnoreCase))
        {
            Advance();
            return new BooleanLiteral(word.Length == 4) { Position = position };
        }
        if (IsReserved(word)) throw Expected("an expression");

        var next = Scan(_token.Start + _token.Length);
        var call = next.Kind == TokenKind.LeftParen;
        if (!call && !IsWord(next, "Z") && !IsWord(next, "EMPTY"))
        {
            Advance();
            return new PropertyRef(word.ToString()) { Position = position };
        }
        var upper = word.ToString().ToUpperInvariant();
        if (GeometryKeyword(upper))
        {
            return new GeometryLiteral(ParseGeometry(new Cql2GeometryBuilder(_options.Crs), nested: false)) { Position = position };
        }
        if (!call)
        {
            Advance();
            return new PropertyRef(word.ToString()) { Position = position };
        }
        switch (upper)
        {
            case "CASEI":
            case "ACCENTI":
            {
                Advance();
                Advance();
                Enter();
                var operand = ParseOr();
                Exit();
                Expect(TokenKind.RightParen, "')'");
                return upper == "CASEI"
                    ? new CaseInsensitive(operand) { Position = position }
                    : new AccentInsensitive(operand) { Position = position };
            }
            case "DATE":
            case "TIMESTAMP":
                return ParseInstant(upper == "DATE");
            case "INTERVAL":
            {
                Advance();
                Advance();
                var start = ParseIntervalBound();
                Expect(TokenKind.Comma, "',' between the bounds of INTERVAL");
                var end = ParseIntervalBound();
                Expect(TokenKind.RightParen, "')'");
                return new IntervalLiteral(start, end) { Position = position };
            }
            case "BBOX":
                return ParseBbox();
        }
        if (SpatialOperators.TryGetValue(upper, out var spatial))
        {
            var (left, right) = ParseOperands(arrays: false);
            return new SpatialPredicate(spatial, left, right) { Position = position };
        }
        if (TemporalOperators.TryGetValue(upper, out var temporal))
        {
            var (left, right) = ParseOperands(arrays: false);
            return new TemporalPredicate(temporal, left, right) { Position = position };
        }
        if (ArrayOperators.TryGetValue(upper, out var array))
        {
            var (left, right) = ParseOperands(arrays: true);
            return new ArrayPredicate(array, left, right) { Position = position };
        }
        return ParseFunction();
    }

    /// <summary>The two arguments of S_*, T_* and A_* functions.</summary>
    private (Expression Left, Expression Right) ParseOperands(bool arrays)
    {
        var name = Word.ToString().ToUpperInvariant();
        Advance();
        Advance();
        Enter();
        var left = arrays && _token.Kind == TokenKind.LeftParen ? ParseParenthesized(forceArray: true) : ParseOr();
        Expect(TokenKind.Comma, $"',' after the first argument of {name}");
        var right = arrays && _token.Kind == TokenKind.LeftParen ? ParseParenthesized(forceArray: true) : ParseOr();
        Expect(TokenKind.RightParen, $"')' after the second argument of {name}");
        Exit();
        return (left, right);
    }

    private FunctionCall ParseFunction()
    {
        var position = Here;
        var name = Word.ToString();
        Advance();
        Advance();
        var arguments = new List<Expression>();
        Enter();
        if (!Accept(TokenKind.RightParen))
        {
            do
            {
                arguments.Add(ParseOr());
            }
            while (Accept(TokenKind.Comma));
            Expect(TokenKind.RightParen, $"',' or ')' in the arguments of {Cql2Grammar.Truncate(name)}");
        }
        Exit();
        return new FunctionCall(name, ExpressionList.Create(arguments.ToArray())) { Position = position };
    }

    private Literal ParseInstant(bool date)
    {
        var position = Here;
        Advance();
        Advance();
        if (_token.Kind != TokenKind.String) throw Expected(date ? "a date string such as '2022-04-16'" : "a timestamp string such as '2022-04-16T10:13:19Z'");
        var valuePosition = Here;
        var text = StringValue();
        Literal literal;
        if (date)
        {
            if (!Cql2Instants.TryParseDate(text, out var value)) throw Cql2Exception.At(valuePosition, "expected a date (YYYY-MM-DD)", Quote(text));
            literal = new DateLiteral(value) { Position = position };
        }
        else
        {
            if (!Cql2Instants.TryParseTimestamp(text, out var value)) throw Cql2Exception.At(valuePosition, "expected a UTC timestamp (YYYY-MM-DDThh:mm:ss[.fff]Z)", Quote(text));
            literal = new TimestampLiteral(value) { Position = position };
        }
        Advance();
        Expect(TokenKind.RightParen, "')'");
        return literal;
    }

    /// <summary>'2022-04-16', '2022-04-16T10:13:19Z', '..', a property or a function.</summary>
    private Expression? ParseIntervalBound()
    {
        var position = Here;
        if (_token.Kind == TokenKind.String)
        {
            var text = StringValue();
            Advance();
            if (text == "..") return null;
            var instant = Cql2Instants.ParseInstant(text)
                ?? throw Cql2Exception.At(position, "expected a date, a UTC timestamp or '..' as an interval bound", Quote(text));
            return instant with { Position = position };
        }
        var bound = ParseAdditive();
        if (bound is PropertyRef or FunctionCall or DateLiteral or TimestampLiteral) return bound;
        throw Cql2Exception.At(position, "expected a date, a timestamp, '..', a property or a function as an interval bound", Cql2Grammar.Describe(bound));
    }

    private BboxLiteral ParseBbox()
    {
        var position = Here;
        Advance();
        Advance();
        var values = new List<double>(6);
        do
        {
            if (values.Count == 6) throw Expected("')' after the 6 numbers of BBOX");
            values.Add(SignedNumber());
        }
        while (Accept(TokenKind.Comma));
        if (values.Count is not (4 or 6)) throw Expected("4 or 6 numbers in BBOX");
        Expect(TokenKind.RightParen, "')'");
        return Cql2GeometryBuilder.Bbox(values, _options.Crs, position);
    }

    // ---- WKT ----

    private Geometry ParseGeometry(Cql2GeometryBuilder builder, bool nested)
    {
        var position = Here;
        var type = Word.ToString().ToUpperInvariant();
        Advance();
        if (IsKeyword("Z"))
        {
            builder.RequireDimension(3, Here);
            Advance();
        }
        if (IsKeyword("EMPTY")) throw Cql2Exception.At(Here, "empty geometries are not supported");
        switch (type)
        {
            case "POINT":
            {
                Expect(TokenKind.LeftParen, "'(' after POINT");
                var point = builder.Point(ParseCoordinate(builder));
                Expect(TokenKind.RightParen, "')' after the coordinates of the point");
                return point;
            }
            case "LINESTRING":
                return ParseLineString(builder);
            case "POLYGON":
                return ParsePolygon(builder);
            case "MULTIPOINT":
            {
                Expect(TokenKind.LeftParen, "'(' after MULTIPOINT");
                var points = new List<Point>();
                do
                {
                    // The BNF wants each point in parentheses; the common form without them is read too.
                    var parenthesized = Accept(TokenKind.LeftParen);
                    points.Add(builder.Point(ParseCoordinate(builder)));
                    if (parenthesized) Expect(TokenKind.RightParen, "')' after the coordinates of the point");
                }
                while (Accept(TokenKind.Comma));
                Expect(TokenKind.RightParen, "',' or ')' in MULTIPOINT");
                return builder.MultiPoint(points.ToArray());
            }
            case "MULTILINESTRING":
            {
                Expect(TokenKind.LeftParen, "'(' after MULTILINESTRING");
                var lines = new List<LineString>();
                do
                {
                    lines.Add(ParseLineString(builder));
                }
                while (Accept(TokenKind.Comma));
                Expect(TokenKind.RightParen, "',' or ')' in MULTILINESTRING");
                return builder.MultiLineString(lines.ToArray());
            }
            case "MULTIPOLYGON":
            {
                Expect(TokenKind.LeftParen, "'(' after MULTIPOLYGON");
                var polygons = new List<Polygon>();
                do
                {
                    polygons.Add(ParsePolygon(builder));
                }
                while (Accept(TokenKind.Comma));
                Expect(TokenKind.RightParen, "',' or ')' in MULTIPOLYGON");
                return builder.MultiPolygon(polygons.ToArray());
            }
            default: // GEOMETRYCOLLECTION
            {
                if (nested) throw Cql2Exception.At(position, "a GEOMETRYCOLLECTION cannot hold another GEOMETRYCOLLECTION");
                Expect(TokenKind.LeftParen, "'(' after GEOMETRYCOLLECTION");
                var members = new List<Geometry>();
                do
                {
                    if (_token.Kind != TokenKind.Identifier || !GeometryKeyword(Word.ToString().ToUpperInvariant()))
                    {
                        throw Expected("a geometry (POINT, LINESTRING, POLYGON or MULTI…)");
                    }
                    members.Add(ParseGeometry(builder, nested: true));
                }
                while (Accept(TokenKind.Comma));
                Expect(TokenKind.RightParen, "',' or ')' in GEOMETRYCOLLECTION");
                return builder.Collection(members.ToArray());
            }
        }
    }

    private LineString ParseLineString(Cql2GeometryBuilder builder)
    {
        var position = Here;
        return builder.LineString(ParseCoordinateList(builder, "line string"), position);
    }

    private Polygon ParsePolygon(Cql2GeometryBuilder builder)
    {
        var position = Here;
        Expect(TokenKind.LeftParen, "'(' before the rings of a polygon");
        var rings = new List<LinearRing>();
        do
        {
            var ringPosition = Here;
            rings.Add(builder.Ring(ParseCoordinateList(builder, "polygon ring"), ringPosition));
        }
        while (Accept(TokenKind.Comma));
        Expect(TokenKind.RightParen, "',' or ')' after a polygon ring");
        return builder.Polygon(rings.ToArray(), position);
    }

    private Coordinate[] ParseCoordinateList(Cql2GeometryBuilder builder, string what)
    {
        Expect(TokenKind.LeftParen, $"'(' before the positions of a {what}");
        var coordinates = new List<Coordinate>();
        do
        {
            coordinates.Add(ParseCoordinate(builder));
        }
        while (Accept(TokenKind.Comma));
        Expect(TokenKind.RightParen, $"',' or ')' after a position of a {what}");
        return coordinates.ToArray();
    }

    private Coordinate ParseCoordinate(Cql2GeometryBuilder builder)
    {
        var position = Here;
        var x = SignedNumber();
        var y = SignedNumber();
        double? z = _token.Kind is TokenKind.Number or TokenKind.Minus or TokenKind.Plus ? SignedNumber() : null;
        if (_token.Kind is TokenKind.Number or TokenKind.Minus or TokenKind.Plus) throw Expected("',' or ')' after 2 or 3 coordinates");
        return builder.Coordinate(x, y, z, position);
    }

    private double SignedNumber()
    {
        var negative = false;
        if (_token.Kind is TokenKind.Minus or TokenKind.Plus)
        {
            negative = _token.Kind == TokenKind.Minus;
            Advance();
        }
        if (_token.Kind != TokenKind.Number) throw Expected("a number");
        var value = NumberValue();
        Advance();
        return negative ? -value : value;
    }

    // ---- tokens ----

    private enum TokenKind
    {
        End,
        Identifier,
        QuotedIdentifier,
        String,
        Number,
        LeftParen,
        RightParen,
        Comma,
        Equal,
        NotEqual,
        Less,
        Greater,
        LessOrEqual,
        GreaterOrEqual,
        Plus,
        Minus,
        Star,
        Slash,
        Percent,
        Caret,
    }

    private readonly record struct Token(TokenKind Kind, int Start, int Length);

    private SourcePosition Here => SourcePosition.AtOffset(_token.Start);

    private ReadOnlySpan<char> Word => _text.AsSpan(_token.Start, _token.Length);

    private void Advance() => _token = Scan(_token.Start + _token.Length);

    private bool Accept(TokenKind kind)
    {
        if (_token.Kind != kind) return false;
        Advance();
        return true;
    }

    private void Expect(TokenKind kind, string what)
    {
        if (_token.Kind != kind) throw Expected(what);
        Advance();
    }

    private bool IsKeyword(string keyword) => IsWord(_token, keyword);

    private bool IsWord(Token token, string keyword) =>
        token.Kind == TokenKind.Identifier && _text.AsSpan(token.Start, token.Length).Equals(keyword, StringComparison.OrdinalIgnoreCase);

    private void Enter()
    {
        if (++_depth > _options.MaxDepth)
        {
            throw Cql2Exception.At(Here, $"the filter nests deeper than the {_options.MaxDepth} levels allowed");
        }
    }

    private void Exit() => _depth--;

    private Cql2Exception Expected(string what) => Cql2Exception.At(Here, "expected " + what, DescribeToken());

    private string DescribeToken() => _token.Kind switch
    {
        TokenKind.End => "the end of the filter",
        TokenKind.String => "string " + Quote(Cql2Grammar.Truncate(_text.Substring(_token.Start + 1, Math.Max(0, _token.Length - 2)))),
        _ => Quote(Cql2Grammar.Truncate(_text.Substring(_token.Start, _token.Length))),
    };

    private static string Quote(string text) => "'" + text + "'";

    private static bool IsReserved(ReadOnlySpan<char> word) =>
        word.Equals("AND", StringComparison.OrdinalIgnoreCase) || word.Equals("OR", StringComparison.OrdinalIgnoreCase)
        || word.Equals("NOT", StringComparison.OrdinalIgnoreCase) || word.Equals("LIKE", StringComparison.OrdinalIgnoreCase)
        || word.Equals("BETWEEN", StringComparison.OrdinalIgnoreCase) || word.Equals("IN", StringComparison.OrdinalIgnoreCase)
        || word.Equals("IS", StringComparison.OrdinalIgnoreCase) || word.Equals("NULL", StringComparison.OrdinalIgnoreCase)
        || word.Equals("DIV", StringComparison.OrdinalIgnoreCase);

    private static bool GeometryKeyword(string upper) => upper is
        "POINT" or "LINESTRING" or "POLYGON" or "MULTIPOINT" or "MULTILINESTRING" or "MULTIPOLYGON" or "GEOMETRYCOLLECTION";

    private static readonly Dictionary<string, SpatialOperator> SpatialOperators =
        Enum.GetValues<SpatialOperator>().ToDictionary(op => op.ToText());

    private static readonly Dictionary<string, TemporalOperator> TemporalOperators =
        Enum.GetValues<TemporalOperator>().ToDictionary(op => op.ToText());

    private static readonly Dictionary<string, ArrayOperator> ArrayOperators =
        Enum.GetValues<ArrayOperator>().ToDictionary(op => op.ToText());

    private double NumberValue()
    {
        var value = double.Parse(_text.AsSpan(_token.Start, _token.Length), NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value)) throw Cql2Exception.At(Here, "number out of range", Quote(Cql2Grammar.Truncate(_text.Substring(_token.Start, _token.Length))));
        return value;
    }

    /// <summary>The current string token without its quotes, escapes decoded ('' and \' for a quote, \\, \a \b \t \n \v \f \r).</summary>
    private string StringValue()
    {
        var content = _text.AsSpan(_token.Start + 1, _token.Length - 2);
        if (content.IndexOfAny('\'', '\\') < 0) return content.ToString();
        var value = new StringBuilder(content.Length);
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (c == '\'')
            {
                value.Append('\''); // the scanner only lets doubled quotes through
                i++;
            }
            else if (c == '\\' && i + 1 < content.Length)
            {
                var escaped = content[i + 1] switch
                {
                    '\'' => '\'',
                    '\\' => '\\',
                    'a' => '\a',
                    'b' => '\b',
                    't' => '\t',
                    'n' => '\n',
                    'v' => '\v',
                    'f' => '\f',
                    'r' => '\r',
                    _ => '\0',
                };
                if (escaped == '\0')
                {
                    value.Append(c); // any other backslash stays, e.g. \% in a LIKE pattern
                }
                else
                {
                    value.Append(escaped);
                    i++;
                }
            }
            else
            {
                value.Append(c);
            }
        }
        return value.ToString();
    }

    private Token Scan(int position)
    {
        var text = _text;
        while (position < text.Length && Cql2Syntax.IsWhitespace(text[position])) position++;
        if (position >= text.Length) return new Token(TokenKind.End, text.Length, 0);
        var start = position;
        var c = text[position];
        switch (c)
        {
            case '(': return new Token(TokenKind.LeftParen, start, 1);
            case ')': return new Token(TokenKind.RightParen, start, 1);
            case ',': return new Token(TokenKind.Comma, start, 1);
            case '=': return new Token(TokenKind.Equal, start, 1);
            case '+': return new Token(TokenKind.Plus, start, 1);
            case '-': return new Token(TokenKind.Minus, start, 1);
            case '*': return new Token(TokenKind.Star, start, 1);
            case '/': return new Token(TokenKind.Slash, start, 1);
            case '%': return new Token(TokenKind.Percent, start, 1);
            case '^': return new Token(TokenKind.Caret, start, 1);
            case '<':
                if (position + 1 < text.Length && text[position + 1] == '>') return new Token(TokenKind.NotEqual, start, 2);
                if (position + 1 < text.Length && text[position + 1] == '=') return new Token(TokenKind.LessOrEqual, start, 2);
                return new Token(TokenKind.Less, start, 1);
            case '>':
                if (position + 1 < text.Length && text[position + 1] == '=') return new Token(TokenKind.GreaterOrEqual, start, 2);
                return new Token(TokenKind.Greater, start, 1);
            case '\'':
                return ScanString(start);
            case '"':
            {
                var end = text.IndexOf('"', start + 1);
                if (end < 0) throw Cql2Exception.At(SourcePosition.AtOffset(start), "unterminated quoted property name");
                if (end == start + 1) throw Cql2Exception.At(SourcePosition.AtOffset(start), "empty property name");
                return new Token(TokenKind.QuotedIdentifier, start, end - start + 1);
            }
        }
        if (c is >= '0' and <= '9' || (c == '.' && position + 1 < text.Length && text[position + 1] is >= '0' and <= '9'))
        {
            return ScanNumber(start);
        }
        if (Cql2Syntax.IsIdentifierStart(c))
        {
            position++;
            while (position < text.Length && Cql2Syntax.IsIdentifierPart(text[position])) position++;
            return new Token(TokenKind.Identifier, start, position - start);
        }
        var shown = char.IsControl(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : c.ToString();
        throw Cql2Exception.At(SourcePosition.AtOffset(start), "unexpected character", $"'{shown}'");
    }

    private Token ScanString(int start)
    {
        var text = _text;
        var position = start + 1;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '\\' && position + 1 < text.Length)
            {
                position += 2;
            }
            else if (c == '\'')
            {
                if (position + 1 < text.Length && text[position + 1] == '\'') position += 2;
                else return new Token(TokenKind.String, start, position - start + 1);
            }
            else
            {
                position++;
            }
        }
        throw Cql2Exception.At(SourcePosition.AtOffset(start), "unterminated string");
    }

    private Token ScanNumber(int start)
    {
        var text = _text;
        var position = start;
        while (position < text.Length && char.IsAsciiDigit(text[position])) position++;
        if (position < text.Length && text[position] == '.')
        {
            position++;
            while (position < text.Length && char.IsAsciiDigit(text[position])) position++;
        }
        if (position < text.Length && text[position] is 'e' or 'E')
        {
            var exponent = position + 1;
            if (exponent < text.Length && text[exponent] is '+' or '-') exponent++;
            if (exponent < text.Length && char.IsAsciiDigit(text[exponent]))
            {
                position = exponent;
                while (position < text.Length && char.IsAsciiDigit(text[position])) position++;
            }
        }
        return new Token(TokenKind.Number, start, position - start);
    }
}
