namespace Meridian.Storage.Filtering;

/// <summary>Operands joined by AND, in the order written (<c>a AND b AND c</c> is one node of three).</summary>
public sealed record And(ExpressionList Operands) : Expression;

/// <summary>Operands joined by OR, in the order written.</summary>
public sealed record Or(ExpressionList Operands) : Expression;

/// <summary>
/// <c>NOT</c>. The negated forms <c>x NOT LIKE p</c>, <c>x NOT BETWEEN a AND b</c>, <c>x NOT IN (…)</c> and
/// <c>x IS NOT NULL</c> are a <see cref="Not"/> around the positive predicate, as in cql2-json.
/// </summary>
public sealed record Not(Expression Operand) : Expression;

/// <summary><c>=</c>, <c>&lt;&gt;</c>, <c>&lt;</c>, <c>&gt;</c>, <c>&lt;=</c>, <c>&gt;=</c> between two scalar expressions.</summary>
public sealed record Comparison(ComparisonOperator Operator, Expression Left, Expression Right) : Expression;

/// <summary>
/// <c>value LIKE pattern</c>: <c>%</c> matches any run of characters, <c>_</c> one character, and a backslash
/// makes the next character literal.
/// </summary>
public sealed record Like(Expression Value, Expression Pattern) : Expression;

/// <summary><c>value BETWEEN low AND high</c>, both ends included.</summary>
public sealed record Between(Expression Value, Expression Low, Expression High) : Expression;

/// <summary><c>value IN (item, …)</c>.</summary>
public sealed record In(Expression Value, ExpressionList Items) : Expression;

/// <summary><c>operand IS NULL</c>.</summary>
public sealed record IsNull(Expression Operand) : Expression;

/// <summary><c>CASEI(operand)</c>: the string compared without regard to case.</summary>
public sealed record CaseInsensitive(Expression Operand) : Expression;

/// <summary><c>ACCENTI(operand)</c>: the string compared without regard to accents (diacritics).</summary>
public sealed record AccentInsensitive(Expression Operand) : Expression;

/// <summary><c>S_INTERSECTS(left, right)</c> and the other DE-9IM relations between two geometries.</summary>
public sealed record SpatialPredicate(SpatialOperator Operator, Expression Left, Expression Right) : Expression;

/// <summary><c>T_AFTER(left, right)</c> and the other relations between instants and intervals.</summary>
public sealed record TemporalPredicate(TemporalOperator Operator, Expression Left, Expression Right) : Expression;

/// <summary><c>A_CONTAINS(left, right)</c> and the other relations between two arrays.</summary>
public sealed record ArrayPredicate(ArrayOperator Operator, Expression Left, Expression Right) : Expression;

/// <summary><c>left + right</c> and the other binary arithmetic operators.</summary>
public sealed record Arithmetic(ArithmeticOperator Operator, Expression Left, Expression Right) : Expression;

/// <summary>Unary minus of an expression that is not a number literal (<c>-pop</c>); <c>-5</c> is a <see cref="NumberLiteral"/>.</summary>
public sealed record Negate(Expression Operand) : Expression;
