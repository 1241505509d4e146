using Meridian.Testing;
using System.Text;
using System.Text.Json.Nodes;
using Meridian.Features.Cql2;
using Meridian.Storage.Filtering;

namespace Meridian.Features.Tests.Cql2;

/// <summary>
/// Seeded random mutations of valid filters: whatever the input, parsing and binding either succeed or end in a
/// <see cref="Cql2Exception"/>. Any other exception is a bug; its input goes into <see cref="Cql2RegressionTests"/>.
/// A text filter that parses also survives the round trip through its canonical text.
/// </summary>
public sealed class Cql2ParserFuzzTests
{
    internal static readonly string[] Fragments =
    [
        "(", ")", "'", "\"", ",", " ", "-", "+", "*", "/", "%", "^", "=", "<", ">", "<>", "<=", ">=", ".", "..", "'..'", "\\", "''",
        "0", "1", "9", "1e309", "-1e-400", ".5", "1.", "E", "Z", " Z ", "EMPTY", "AND ", " OR ", "NOT ", " LIKE ", " BETWEEN ", " IN ",
        " IS NULL", " IS NOT NULL", " DIV ", "CASEI(", "ACCENTI(", "DATE('2022-02-30')", "DATE('2022-01-01')",
        "TIMESTAMP('2022-01-01T00:00:00.123456789Z')", "INTERVAL(", "BBOX(", "POINT(", "POINT Z(", "LINESTRING(", "POLYGON((",
        "MULTIPOINT(", "MULTIPOLYGON(((", "GEOMETRYCOLLECTION(", "S_INTERSECTS(", "T_DURING(", "A_CONTAINS(", "f(", "()",
        "geometry", "name", "pop_max", "start", "\"date\"", "TRUE", "FALSE", "\u0000", "\uD800", "é", "名",
    ];

    internal static IEnumerable<string> TextSeeds() =>
        Cql2StandardExamples.All().Select(row => (string)row[1]).Concat(Cql2ConformanceCases.All.Select(c => c.Filter));

    internal static IEnumerable<string> JsonSeeds() => Cql2StandardExamples.All().Select(row => (string)row[2]);

    private static readonly Cql2Binder[] Binders = Cql2ConformanceTests.Collections
        .Select(c => QueryablesLoader.LoadTestDataset(c))
        .Select(q => new Cql2Binder(q.Schema, new Cql2BinderOptions { GeometryAliases = [q.GeometryName!] }))
        .ToArray();

    [Theory]
    [InlineData(20240601, 4000)]
    [InlineData(7, 2000)]
    public void Parse_MutatedText_SucceedsOrThrowsCql2Exception(int seed, int cases)
    {
        var seeds = TextSeeds().ToArray();
        var random = new Random(seed);
        var failures = new List<string>();
        var outcomes = new int[2];

        for (var i = 0; i < cases; i++)
        {
            var input = MutateText(seeds[random.Next(seeds.Length)], random);
            try
            {
                var expression = Cql2TextParser.Parse(input);
                var again = Cql2TextParser.Parse(expression.ToString());
                if (!again.Equals(expression)) failures.Add($"case {i}: round trip changed the expression\n  input: {Escape(input)}\n  text:  {Escape(expression.ToString())}");
                TryBind(expression);
                outcomes[0]++;
            }
            catch (Cql2Exception e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Assert.False(e.Position.IsNone, $"no position for: {e.Message}");
                outcomes[1]++;
            }
            catch (Exception e)
            {
                failures.Add($"case {i}: {e.GetType().Name}: {e.Message}\n  input: {Escape(input)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} inputs failed:\n" + string.Join("\n", failures.Take(5)));
        Assert.True(outcomes[0] > cases / 20, $"only {outcomes[0]} inputs parsed: the mutations are too strong");
        Assert.True(outcomes[1] > cases / 20, $"only {outcomes[1]} inputs were refused: the mutations are too weak");
    }

    [Theory]
    [InlineData(424242, 3000)]
    [InlineData(99, 1500)]
    public void Parse_MutatedJson_SucceedsOrThrowsCql2Exception(int seed, int cases)
    {
        var seeds = JsonSeeds().ToArray();
        var random = new Random(seed);
        var failures = new List<string>();
        var outcomes = new int[2];

        for (var i = 0; i < cases; i++)
        {
            var seedJson = seeds[random.Next(seeds.Length)];
            var input = i % 2 == 0 ? MutateText(seedJson, random) : MutateJsonTree(seedJson, random);
            try
            {
                TryBind(Cql2JsonParser.Parse(input));
                outcomes[0]++;
            }
            catch (Cql2Exception e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Assert.False(e.Position.IsNone, $"no position for: {e.Message}");
                outcomes[1]++;
            }
            catch (Exception e)
            {
                failures.Add($"case {i}: {e.GetType().Name}: {e.Message}\n  input: {Escape(input)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} inputs failed:\n" + string.Join("\n", failures.Take(5)));
        Assert.True(outcomes[0] > cases / 20, $"only {outcomes[0]} inputs parsed: the mutations are too strong");
        Assert.True(outcomes[1] > cases / 20, $"only {outcomes[1]} inputs were refused: the mutations are too weak");
    }

    /// <summary>Binding may refuse (most mutated filters name unknown properties); it must not fail otherwise.</summary>
    internal static void TryBind(Expression expression)
    {
        foreach (var binder in Binders)
        {
            try
            {
                var filter = binder.Bind(expression);
                _ = filter.ToString();
            }
            catch (Cql2Exception e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        }
    }

    internal static string MutateText(string original, Random random)
    {
        var text = new StringBuilder(original);
        var edits = 1 + random.Next(3);
        for (var e = 0; e < edits; e++)
        {
            var at = text.Length == 0 ? 0 : random.Next(text.Length);
            switch (random.Next(6))
            {
                case 0: // delete a run
                    if (text.Length > 0) text.Remove(at, Math.Min(text.Length - at, 1 + random.Next(4)));
                    break;
                case 1: // insert a fragment
                    text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2: // replace a character by a fragment
                    if (text.Length > 0) text.Remove(at, 1);
                    text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 3: // duplicate a slice
                {
                    var length = Math.Min(text.Length - at, 1 + random.Next(12));
                    if (length > 0) text.Insert(at, text.ToString(at, length));
                    break;
                }
                case 4: // truncate
                    text.Length = at;
                    break;
                default: // flip a digit or letter case
                    if (text.Length > 0)
                    {
                        var c = text[at];
                        text[at] = char.IsDigit(c) ? (char)('0' + random.Next(10)) : char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c);
                    }
                    break;
            }
        }
        return text.ToString();
    }

    /// <summary>Valid JSON with a random value somewhere replaced: wrong kinds, counts and shapes rather than bad syntax.</summary>
    internal static string MutateJsonTree(string json, Random random)
    {
        var root = JsonNode.Parse(json)!;
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[random.Next(nodes.Count)];
        JsonNode? replacement = random.Next(14) switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next(-200, 200)),
            2 => JsonValue.Create("2022-01-01"),
            3 => JsonValue.Create(".."),
            4 => new JsonArray(),
            5 => new JsonObject(),
            6 => new JsonObject { ["op"] = "=", ["args"] = new JsonArray(1) },
            7 => new JsonObject { ["property"] = random.Next(2) == 0 ? "name" : "" },
            8 => new JsonObject { ["interval"] = new JsonArray("2022-01-01", random.Next(2) == 0 ? ".." : "x") },
            9 => new JsonObject { ["bbox"] = new JsonArray(0, 0, 1) },
            10 => new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(new JsonArray(new JsonArray(0, 0), new JsonArray(1, 1))) },
            11 => new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(1e308, "x") },
            12 => JsonValue.Create(true),
            _ => target.DeepClone() is var copy && copy is JsonObject or JsonArray ? new JsonArray(copy, target.DeepClone()) : copy,
        };
        if (target.Parent is JsonObject parentObject)
        {
            var key = parentObject.First(p => ReferenceEquals(p.Value, target)).Key;
            parentObject[key] = replacement;
        }
        else if (target.Parent is JsonArray parentArray)
        {
            var index = parentArray.IndexOf(target);
            if (random.Next(4) == 0) parentArray.RemoveAt(index);
            else parentArray[index] = replacement;
        }
        else
        {
            return replacement?.ToJsonString() ?? "null";
        }
        return root.ToJsonString();
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        if (node is JsonObject o)
        {
            foreach (var (_, value) in o)
            {
                if (value is not null) Collect(value, nodes);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var value in a)
            {
                if (value is not null) Collect(value, nodes);
            }
        }
    }

    private static string Escape(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
