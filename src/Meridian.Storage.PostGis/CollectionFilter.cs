namespace Meridian.Storage.PostGis;

/// <summary>The Include/Exclude patterns of <see cref="PostGisStoreOptions"/>, where <c>*</c> matches any run of characters.</summary>
internal sealed class CollectionFilter(IReadOnlyList<string> include, IReadOnlyList<string> exclude)
{
    public bool Publishes(string collectionId) =>
        (include.Count == 0 || include.Any(p => Matches(p, collectionId))) && !exclude.Any(p => Matches(p, collectionId));

    /// <summary>Wildcard matching without regular expressions, so that no pattern character needs escaping.</summary>
    internal static bool Matches(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                // Let the last star swallow one more character and retry from there.
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
