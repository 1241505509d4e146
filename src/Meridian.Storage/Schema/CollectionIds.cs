using System.Text.RegularExpressions;

namespace Meridian.Storage.Schema;

/// <summary>
/// The ids a client may give a new collection (or a property of one): a letter or '_' first, then letters, digits,
/// '_' and '-', at most 63 characters (PostgreSQL's identifier limit), so that every store can name a table or file after it.
/// </summary>
public static partial class CollectionIds
{
    public static bool IsSafe(string id) => SafeId().IsMatch(id);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]{0,62}$")]
    private static partial Regex SafeId();
}
