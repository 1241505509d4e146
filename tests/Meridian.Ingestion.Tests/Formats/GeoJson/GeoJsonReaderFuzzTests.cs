using System.Text;
using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Formats.GeoJson;
using Meridian.Testing;

namespace Meridian.Ingestion.Tests.Formats.GeoJson;

/// <summary>
/// Seeded random mutations of small valid GeoJSON files: whatever the bytes, reading and ingesting them
/// either succeeds or ends in a <see cref="SourceFormatException"/>. Any other exception is a bug; its input
/// goes into <see cref="GeoJsonReaderRegressionTests"/>.
/// </summary>
public sealed class GeoJsonReaderFuzzTests
{
    private const string Handmade = """
        {"type":"FeatureCollection","name":"fuzz","bbox":[-10,-10,10,10],"features":[
        {"type":"Feature","id":1,"geometry":{"type":"Point","coordinates":[1.5,-2.25]},"properties":{"name":"Zürich 東京","pop":42,"area":1.5e3,"capital":true,"opened":"2021-04-16","updated":"2021-04-16T10:15:59Z","tags":["a","b"],"meta":{"k":null}}},
        {"type":"Feature","id":"two","geometry":{"type":"LineString","coordinates":[[0,0],[1,1],[2,0.5]]},"properties":{"name":"line","pop":-7,"area":2,"capital":false,"opened":null}},
        {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[2,1],[2,2],[1,1]]]},"properties":null},
        {"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]},"properties":{"ID":3,"id":"x"}},
        {"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[0,0,5]},{"type":"MultiPoint","coordinates":[[1,1],[2,2]]}]},"properties":{"esc":"q\"\\\n\u00e9"}},
        {"type":"Feature","geometry":null,"properties":{"big":9223372036854775807,"neg":-0.0,"exp":1E-5}}
        ]}
        """;

    private static readonly byte[] Structural = "[]{}\",:-+.eE0 \\n".Select(c => (byte)c).ToArray();

    public static TheoryData<string, int> Seeds() => new()
    {
        { "handmade", 20240501 },
        { "broken/out_of_range_coordinates.geojson", 7 },
        { "broken/invalid_geometry_overlapping_multipolygon_parts.geojson", 1234 },
        { "naturalearth/cql2/ne_110m_rivers_lake_centerlines.from_gpkg.geojson", 99 },
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task ReadAsync_RandomMutations_SucceedOrThrowSourceFormatException(string source, int seed)
    {
        var original = source == "handmade" ? Encoding.UTF8.GetBytes(Handmade) : await File.ReadAllBytesAsync(TestData.Path(source));
        var cases = original.Length > 10_000 ? 300 : 1500;
        var random = new Random(seed);
        var outcomes = new int[2];
        var failures = new List<string>();

        for (var i = 0; i < cases; i++)
        {
            var input = Mutate(original, random);
            var chunk = random.Next(1, 9);
            try
            {
                await Ingest(i % 2 == 0 ? new MemoryStream(input) : new TrickleStream(new MemoryStream(input), chunk));
                outcomes[0]++;
            }
            catch (SourceFormatException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                outcomes[1]++;
            }
            catch (Exception e)
            {
                failures.Add($"case {i}: {e.GetType().Name}: {e.Message}\n  input (base64): {Convert.ToBase64String(input)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} inputs threw something else than SourceFormatException:\n" + string.Join("\n", failures.Take(5)));
        Assert.True(outcomes[1] > 0, "no mutation was rejected: the mutations are too weak");
        Assert.Equal(cases, outcomes[0] + outcomes[1]);
    }

    /// <summary>The two passes of an ingest: schema inference over every feature, then conversion of each.</summary>
    internal static async Task Ingest(Stream stream)
    {
        var features = await GeoJsonInput.ReadAllAsync(stream);
        var inference = new SchemaInference();
        features.ForEach(inference.Observe);
        var schema = inference.ToSchema("fuzz");
        foreach (var feature in features) FeatureConversion.ToRecord(feature, schema, inference.SourceNames);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(9))
            {
                case 0: // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 1: // flip one bit
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2: // insert an opening bracket, brace or quote
                    bytes.Insert(at, "[{\""[random.Next(3)] switch { '[' => (byte)'[', '{' => (byte)'{', _ => (byte)'"' });
                    break;
                case 3: // insert a run of one structural character
                    bytes.InsertRange(at, Enumerable.Repeat(Structural[random.Next(Structural.Length)], random.Next(1, 200)));
                    break;
                case 4: // delete a few bytes
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 8)));
                    break;
                case 5: // replace a byte with any byte (invalid UTF-8 included)
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 7: // swap a geometry type name for another: coordinates of the wrong depth
                    SwapTypeName(bytes, random);
                    break;
                case 8: // drop a whole bracket or brace, keeping the text valid-looking
                    var bracket = bytes.FindIndex(random.Next(bytes.Count), b => b is (byte)'[' or (byte)']' or (byte)'{' or (byte)'}');
                    if (bracket >= 0) bytes.RemoveAt(bracket);
                    break;
                default: // duplicate a slice (repeated members, features, coordinates)
                    var length = Math.Min(bytes.Count - at, random.Next(1, 64));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
            }
        }
        return bytes.ToArray();
    }

    private static readonly string[] TypeNames =
        ["Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon", "GeometryCollection", "Feature", "FeatureCollection", "Circle", ""];

    private static void SwapTypeName(List<byte> bytes, Random random)
    {
        var text = Encoding.Latin1.GetString(bytes.ToArray());
        var from = TypeNames[random.Next(TypeNames.Length - 2)];
        var at = text.IndexOf("\"" + from + "\"", random.Next(text.Length), StringComparison.Ordinal);
        if (at < 0) at = text.IndexOf("\"" + from + "\"", StringComparison.Ordinal);
        if (at < 0) return;
        bytes.RemoveRange(at + 1, from.Length);
        bytes.InsertRange(at + 1, Encoding.ASCII.GetBytes(TypeNames[random.Next(TypeNames.Length)]));
    }
}
