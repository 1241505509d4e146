using System.Text.RegularExpressions;

namespace Meridian.Storage.Schema;

/// <summary>
/// The ids a client may give a new collection (or a property of one): a letter or '_' first, then letters, digits,
/// '_' and '-', at most 63 characters (PostgreSQL's identifier limit), so that every store can name a table or file after it.
/// </summary>
public static partial class CollectionIds
{
    public static bool IsSafe(string id) => SafeId().IsMatch(id);

    /// <summary>
    /// Whether a collection id is a table name GeoPackage (<c>gpkg_</c>) or SQLite (<c>sqlite_</c>) keeps for itself: the
    /// embedded store names each collection's table after it, inside a GeoPackage. Refused in every store, since the id
    /// of a new collection must fit wherever it may land.
    /// </summary>
    public static bool IsReserved(string id) =>
        id.StartsWith("gpkg_", StringComparison.OrdinalIgnoreCase) || id.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]{0,62}$")]
    private static partial Regex SafeId();
}
