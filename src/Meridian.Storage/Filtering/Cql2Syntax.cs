namespace Meridian.Storage.Filtering;

/// <summary>Lexical rules of cql2-text (OGC 21-065 Annex B) shared by the parser and the formatter.</summary>
public static class Cql2Syntax
{
    /// <summary>
    /// Words that start a construct of the language. Unquoted they are read as keywords where the grammar
    /// expects one; a property with such a name is written in double quotes (<c>"date"</c>).
    /// </summary>
    public static readonly IReadOnlySet<string> Keywords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS", "NULL", "TRUE", "FALSE", "DIV", "CASEI", "ACCENTI",
        "DATE", "TIMESTAMP", "INTERVAL", "BBOX", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING",
        "MULTIPOLYGON", "GEOMETRYCOLLECTION",
        "S_INTERSECTS", "S_EQUALS", "S_DISJOINT", "S_TOUCHES", "S_WITHIN", "S_OVERLAPS", "S_CROSSES", "S_CONTAINS",
        "T_AFTER", "T_BEFORE", "T_CONTAINS", "T_DISJOINT", "T_DURING", "T_EQUALS", "T_FINISHEDBY", "T_FINISHES",
        "T_INTERSECTS", "T_MEETS", "T_METBY", "T_OVERLAPPEDBY", "T_OVERLAPS", "T_STARTEDBY", "T_STARTS",
        "A_EQUALS", "A_CONTAINS", "A_CONTAINEDBY", "A_OVERLAPS",
    };

    /// <summary>The BNF's <c>identifierStart</c>; a surrogate counts, standing for a character above U+FFFF.</summary>
    public static bool IsIdentifierStart(char c) =>
        c is ':' or '_' or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z')
            or (>= '\u00C0' and <= '\u00D6') or (>= '\u00D8' and <= '\u00F6') or (>= '\u00F8' and <= '\u02FF')
            or (>= '\u0370' and <= '\u037D') or (>= '\u037F' and <= '\u1FFE') or (>= '\u200C' and <= '\u200D')
            or (>= '\u2070' and <= '\u218F') or (>= '\u2C00' and <= '\u2FEF') or (>= '\u3001' and <= '\uD7FF')
            or (>= '\uD800' and <= '\uDFFF')
            or (>= '\uF900' and <= '\uFDCF') or (>= '\uFDF0' and <= '\uFFFD');

    /// <summary>The BNF's <c>identifierPart</c>.</summary>
    public static bool IsIdentifierPart(char c) =>
        IsIdentifierStart(c) || c is '.' or (>= '0' and <= '9') or (>= '\u0300' and <= '\u036F') or '\u203F' or '\u2040';

    /// <summary>The BNF's <c>whitespace</c>.</summary>
    public static bool IsWhitespace(char c) =>
        c is '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u0085' or '\u00A0' or '\u1680'
            or (>= '\u2000' and <= '\u200A') or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000';

    /// <summary>Whether <paramref name="name"/> can be written without double quotes.</summary>
    public static bool IsPlainIdentifier(string name)
    {
        if (name.Length == 0 || !IsIdentifierStart(name[0])) return false;
        foreach (var c in name)
        {
            if (!IsIdentifierPart(c)) return false;
        }
        return !Keywords.Contains(name);
    }
}
