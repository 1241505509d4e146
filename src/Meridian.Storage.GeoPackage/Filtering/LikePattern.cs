namespace Meridian.Storage.GeoPackage.Filtering;

/// <summary>
/// A CQL2 LIKE pattern: <c>%</c> any run of characters, <c>_</c> one character, a backslash escapes the next
/// (a trailing one is itself). Matched by walking text and pattern together, going back only to the last
/// <c>%</c> seen: at most text × pattern steps and no memory beyond the pattern, whatever it holds. (A regular
/// expression, even a non-backtracking one, builds an automaton that thousands of wildcards take past its limit.)
/// </summary>
internal static class LikePattern
{
    private enum Kind : byte { Literal, AnyOne, AnyRun }

    private readonly record struct Token(Kind Kind, char Char);

    public static bool IsMatch(string text, string pattern)
    {
        var tokens = Tokenize(pattern);
        int t = 0, p = 0, lastRun = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < tokens.Length && (tokens[p].Kind == Kind.AnyOne || tokens[p].Kind == Kind.Literal && tokens[p].Char == text[t]))
            {
                t++;
                p++;
            }
            else if (p < tokens.Length && tokens[p].Kind == Kind.AnyRun)
            {
                lastRun = p++;
                resume = t;
            }
            else if (lastRun >= 0)
            {
                // Let the last % swallow one more character and match the rest of the pattern from there.
                p = lastRun + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < tokens.Length && tokens[p].Kind == Kind.AnyRun) p++;
        return p == tokens.Length;
    }

    private static Token[] Tokenize(string pattern)
    {
        var tokens = new List<Token>(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length) tokens.Add(new Token(Kind.Literal, pattern[++i]));
            else tokens.Add(c switch { '%' => new Token(Kind.AnyRun, c), '_' => new Token(Kind.AnyOne, c), _ => new Token(Kind.Literal, c) });
        }
        return tokens.ToArray();
    }
}
