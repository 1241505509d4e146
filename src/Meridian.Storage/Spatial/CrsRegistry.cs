using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ProjNet.CoordinateSystems;

namespace Meridian.Storage.Spatial;

/// <summary>
/// The coordinate reference systems Meridian knows: CRS84 (and CRS84h) plus the EPSG codes of its bundled
/// definitions table (<c>CrsDefinitions.tsv</c>) and the UTM zones, generated here. Parses the identifiers
/// OGC API - Features Part 2 clients send: OGC URIs and safe CURIEs.
/// </summary>
public static class CrsRegistry
{
    public const string Crs84Uri = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    public const string Crs84hUri = "http://www.opengis.net/def/crs/OGC/1.3/CRS84h";
    private const string DefinitionPrefix = "http://www.opengis.net/def/crs/";
    private const string EpsgPrefix = DefinitionPrefix + "EPSG/0/";

    /// <summary>Longer identifiers are refused before any parsing: no CRS URI comes close.</summary>
    private const int MaxIdentifierLength = 200;

    public static Crs Crs84 { get; } = new(Crs84Uri, GeometryServices.Crs84Srid, northingFirst: false, isGeographic: true, definition: null);

    /// <summary>CRS84 with ellipsoidal heights: positions keep the height stores hold, the same as CRS84.</summary>
    public static Crs Crs84h { get; } = new(Crs84hUri, GeometryServices.Crs84Srid, northingFirst: false, isGeographic: true, definition: null);

    private static readonly SortedDictionary<int, Crs> Epsg = LoadEpsg();

    /// <summary>Every CRS served: CRS84 first, as Part 1 requires, then CRS84h and the EPSG codes in ascending order.</summary>
    public static IReadOnlyList<Crs> All { get; } = [Crs84, Crs84h, .. Epsg.Values];

    /// <summary>The URIs of <see cref="All"/>: the <c>crs</c> list of collection descriptions.</summary>
    public static IReadOnlyList<string> Uris { get; } = All.Select(c => c.Uri).ToArray();

    /// <summary>The EPSG CRS with this code, or null when Meridian carries no definition of it.</summary>
    public static Crs? FindEpsg(int code) => Epsg.GetValueOrDefault(code);

    /// <summary>
    /// The CRS of a store's geometries: CRS84 for SRID 4326 (stores keep it longitude first), the EPSG CRS for
    /// other codes Meridian carries, null otherwise.
    /// </summary>
    public static Crs? ForStorage(int srid) => srid == GeometryServices.Crs84Srid ? Crs84 : FindEpsg(srid);

    /// <summary>
    /// Reads a CRS identifier: <c>http://www.opengis.net/def/crs/OGC/1.3/CRS84</c> (or <c>CRS84h</c>),
    /// <c>http://www.opengis.net/def/crs/EPSG/0/{code}</c>, or a CURIE such as <c>[EPSG:4326]</c> or
    /// <c>[OGC:CRS84]</c> (the brackets may be left out). False for anything else, and for codes without a definition.
    /// </summary>
    public static bool TryParse(string? identifier, [NotNullWhen(true)] out Crs? crs)
    {
        crs = null;
        if (string.IsNullOrEmpty(identifier) || identifier.Length > MaxIdentifierLength) return false;
        var text = identifier;
        if (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) text = "http://" + text["https://".Length..];
        if (text.StartsWith(DefinitionPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var path = text[DefinitionPrefix.Length..].Split('/');
            if (path.Length != 3) return false;
            crs = path[0].ToUpperInvariant() switch
            {
                "OGC" when path[1] == "1.3" => Ogc(path[2]),
                "EPSG" when path[1] == "0" => Code(path[2]),
                _ => null,
            };
            return crs is not null;
        }
        if (text.StartsWith('[') && text.EndsWith(']')) text = text[1..^1];
        var colon = text.IndexOf(':');
        if (colon < 0) return false;
        crs = text[..colon].ToUpperInvariant() switch
        {
            "OGC" => Ogc(text[(colon + 1)..]),
            "EPSG" => Code(text[(colon + 1)..]),
            _ => null,
        };
        return crs is not null;
    }

    private static Crs? Ogc(string code) => code.ToUpperInvariant() switch
    {
        "CRS84" => Crs84,
        "CRS84H" => Crs84h,
        _ => null,
    };

    private static Crs? Code(string digits) =>
        digits.Length is > 0 and <= 9 && digits.All(char.IsAsciiDigit) ? FindEpsg(int.Parse(digits, CultureInfo.InvariantCulture)) : null;

    private static SortedDictionary<int, Crs> LoadEpsg()
    {
        PolarStereographicProjection.Register();
        var crs = new SortedDictionary<int, Crs>();
        foreach (var (code, northingFirst, wkt) in ReadTable().Concat(UtmZones()))
            crs[code] = new Crs(EpsgPrefix + code.ToString(CultureInfo.InvariantCulture), code, northingFirst,
                wkt.StartsWith("GEOGCS", StringComparison.Ordinal), () => (CoordinateSystem)new CoordinateSystemFactory().CreateFromWkt(wkt));
        return crs;
    }

    private static IEnumerable<(int Code, bool NorthingFirst, string Wkt)> ReadTable()
    {
        using var stream = typeof(CrsRegistry).Assembly.GetManifestResourceStream("Meridian.Storage.Spatial.CrsDefinitions.tsv")
            ?? throw new InvalidOperationException("The CRS definitions table is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var rows = new List<(int, bool, string)>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split('\t');
            rows.Add((int.Parse(fields[0], CultureInfo.InvariantCulture), fields[1] == "yx", fields[2]));
        }
        return rows;
    }

    /// <summary>WGS 84 / UTM zones 1-60 north (326zz) and south (327zz), ETRS89 / UTM zones 31-38 north (258zz).</summary>
    private static IEnumerable<(int Code, bool NorthingFirst, string Wkt)> UtmZones()
    {
        const string wgs84 = """GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]""";
        const string etrs89 = """GEOGCS["ETRS89",DATUM["European_Terrestrial_Reference_System_1989",SPHEROID["GRS 1980",6378137,298.257222101],TOWGS84[0,0,0,0,0,0,0]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]""";
        for (var zone = 1; zone <= 60; zone++)
        {
            yield return (32600 + zone, false, Utm("WGS 84", wgs84, zone, north: true));
            yield return (32700 + zone, false, Utm("WGS 84", wgs84, zone, north: false));
        }
        for (var zone = 31; zone <= 38; zone++) yield return (25800 + zone, false, Utm("ETRS89", etrs89, zone, north: true));
    }

    private static string Utm(string datum, string geographic, int zone, bool north) => string.Create(CultureInfo.InvariantCulture,
        $"""PROJCS["{datum} / UTM zone {zone}{(north ? 'N' : 'S')}",{geographic},PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",{6 * zone - 183}],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",{(north ? 0 : 10000000)}],UNIT["metre",1],AXIS["Easting",EAST],AXIS["Northing",NORTH]]""");
}
