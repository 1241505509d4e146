using System.Globalization;
using System.Text;

namespace Meridian.Storage.Filtering;

/// <summary>
/// The character tables behind CQL2's CASEI and ACCENTI, shared by every store so that a filter selects the same
/// features everywhere. They are plain character mappings rather than the database's own rules: PostgreSQL's
/// <c>lower()</c> depends on the database locale (under "C" it leaves Ø alone), SQLite's knows ASCII only, and
/// accent removal needs more than Unicode decomposition (ø, đ and ł have none; æ and ß become two letters).
/// PostgreSQL applies them with <c>translate()</c> and <c>replace()</c>, SQLite through registered functions
/// that call <see cref="Lower"/> and <see cref="RemoveAccents"/>.
/// </summary>
public static class TextFolding
{
    /// <summary>Characters that <see cref="Lower"/> changes, and what each becomes (same length).</summary>
    public static string LowerFrom { get; }

    public static string LowerTo { get; }

    /// <summary>
    /// Characters that <see cref="RemoveAccents"/> changes one for one, then the combining marks it deletes:
    /// <see cref="AccentTo"/> is shorter, which is how <c>translate()</c> deletes characters.
    /// </summary>
    public static string AccentFrom { get; }

    public static string AccentTo { get; }

    /// <summary>Letters that become two (æ → ae, ß → ss), applied after <see cref="AccentFrom"/>.</summary>
    public static IReadOnlyList<(string From, string To)> AccentExpansions { get; } =
    [
        ("æ", "ae"), ("Æ", "AE"), ("œ", "oe"), ("Œ", "OE"), ("ß", "ss"), ("ẞ", "SS"),
        ("þ", "th"), ("Þ", "TH"), ("ĳ", "ij"), ("Ĳ", "IJ"),
    ];

    // Letters with a stroke or bar have no decomposition; they fold to their base letter all the same.
    private static readonly (char From, char To)[] Strokes =
    [
        ('ø', 'o'), ('Ø', 'O'), ('đ', 'd'), ('Đ', 'D'), ('ð', 'd'), ('Ð', 'D'), ('ł', 'l'), ('Ł', 'L'), ('ħ', 'h'),
        ('Ħ', 'H'), ('ı', 'i'), ('ŧ', 't'), ('Ŧ', 'T'), ('ƀ', 'b'), ('Ɨ', 'I'), ('ɨ', 'i'), ('ƶ', 'z'), ('Ƶ', 'Z'),
    ];

    private static readonly Dictionary<char, char> LowerMap = new();
    private static readonly Dictionary<char, char> AccentMap = new();
    private static readonly HashSet<char> CombiningMarks = new();

    // Letters of Latin-1, Latin Extended-A/B and Additional, Greek and Cyrillic with a canonical decomposition into
    // a base letter and combining marks, and that base letter: Unicode decomposition written out, because the
    // process runs with invariant globalization, where string normalization is not available.
    private const string Decomposable =
        "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨ"
        + "ĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛ"
        + "ǜǞǟǠǡǢǣǦǧǨǩǪǫǬǭǮǯǰǴǵǸǹǺǻǼǽǾǿȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑ"
        + "ḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫ"
        + "ṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẛẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊ"
        + "ịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹΆΈΉΊΌΎΏΐΪΫάέήίΰϊϋόύώЀЁЃЇЌЍЎЙйѐёѓїќѝўѶѷ";

    private const string DecomposableBase =
        "AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhI"
        + "iIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzOoUuAaIiOoUuUuUuUuU"
        + "uAaAaÆæGgKkOoOoƷʒjGgNnAaÆæØøAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYyAaBbBbBbCcDdDdDdDd"
        + "DdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTt"
        + "TtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwyſAaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiI"
        + "iOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYyΑΕΗΙΟΥΩιΙΥαεηιυιυουωЕЕГІКИУИиеегікиуѴѵ";

    static TextFolding()
    {
        for (var code = 1; code <= char.MaxValue; code++)
        {
            var c = (char)code;
            if (char.IsSurrogate(c)) continue;
            var lower = char.ToLowerInvariant(c);
            if (lower != c) LowerMap[c] = lower;
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) CombiningMarks.Add(c);
        }
        var strokes = Strokes.ToDictionary(s => s.From, s => s.To);
        for (var i = 0; i < Decomposable.Length; i++)
        {
            // Ǿ decomposes to Ø, which has a stroke: fold it all the way.
            var folded = DecomposableBase[i];
            AccentMap[Decomposable[i]] = strokes.GetValueOrDefault(folded, folded);
        }
        foreach (var (from, to) in Strokes) AccentMap[from] = to;
        LowerFrom = string.Concat(LowerMap.Keys);
        LowerTo = string.Concat(LowerMap.Values);
        AccentFrom = string.Concat(AccentMap.Keys) + string.Concat(CombiningMarks);
        AccentTo = string.Concat(AccentMap.Values);
    }

    /// <summary>The text in lower case, character by character (what CASEI compares).</summary>
    public static string Lower(string text) => Map(text, LowerMap, null);

    /// <summary>The text without accents (what ACCENTI compares): the one-for-one table with marks deleted, then the expansions.</summary>
    public static string RemoveAccents(string text)
    {
        text = Map(text, AccentMap, CombiningMarks);
        foreach (var (from, to) in AccentExpansions) text = text.Replace(from, to, StringComparison.Ordinal);
        return text;
    }

    private static string Map(string text, Dictionary<char, char> map, HashSet<char>? deleted)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (deleted is not null && deleted.Contains(c)) continue;
            result.Append(map.TryGetValue(c, out var replacement) ? replacement : c);
        }
        return result.ToString();
    }
}
