namespace Meridian.Storage.GeoPackage.Filtering;

/// <summary>
/// A CQL2 LIKE pattern: <c>%</c> any run of characters, <c>_</c> one character, a backslash escapes the next
/// (a trailing one is itself). Matched by walking text and pattern together, going back only to the last
/// <c>%</c> seen: at most text × pattern steps and no memory at all, whatever the pattern holds. (A regular
/// expression, even a non-backtracking one, builds an automaton that thousands of wildcards take past its limit.)
/// It runs once per row, so it reads the pattern in place rather than parsing it into anything first.
/// </summary>
internal static class LikePattern
{
    public static bool IsMatch(string text, string pattern)
    {
        int t = 0, p = 0, afterRun = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '%')
            {
                afterRun = ++p;
                resume = t;
            }
            else if (p < pattern.Length && MatchesOne(pattern, p, text[t], out var width))
            {
                t++;
                p += width;
            }
            else if (afterRun >= 0)
            {
                // Let the last % swallow one more character and match the rest of the pattern from there.
                p = afterRun;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '%') p++;
        return p == pattern.Length;
    }

    /// <summary>Whether the pattern element at <paramref name="p"/> (not a %) matches <paramref name="c"/>, and how many pattern characters it takes.</summary>
    private static bool MatchesOne(string pattern, int p, char c, out int width)
    {
        if (pattern[p] == '\\' && p + 1 < pattern.Length)
        {
            width = 2;
            return pattern[p + 1] == c;
        }
        width = 1;
        return pattern[p] == '_' || pattern[p] == c;
    }
}
