using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Meridian.Features.Cql2;
using Meridian.Storage.Filtering;

namespace Meridian.Features.Tests.Cql2;

/// <summary>
/// FsCheck properties over generated filters: valid filters with fragments spliced in, runs of language
/// fragments, JSON trees with members swapped, and arbitrary strings. Whatever the input, parsing and binding
/// succeed or throw a <see cref="Cql2Exception"/> with a position; FsCheck shrinks any other failure to a small
/// input, which belongs in <see cref="Cql2RegressionTests"/>.
/// </summary>
public sealed class Cql2ParserPropertyTests
{
    private static readonly string[] JsonFragments =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\"op\"", "\"args\"", "\"property\"", "\"bbox\"", "\"interval\"", "\"date\"", "\"timestamp\"",
        "\"type\"", "\"coordinates\"", "\"geometries\"", "null", "true", "1e999", "-0", "\"..\"", "[]", "{}", "\"\\ud800\"", "\"\\u0000\"",
    ];

    private static Gen<string> Spliced(string[] seeds, string[] fragments) =>
        from seed in Gen.Elements(seeds)
        from edits in Gen.Choose(1, 4)
        from positions in Gen.Choose(0, seed.Length).ListOf(edits)
        from inserted in Gen.Elements(fragments).ListOf(edits)
        from cut in Gen.Choose(0, 3)
        select Splice(seed, positions, inserted, cut);

    private static string Splice(string seed, IEnumerable<int> positions, IEnumerable<string> inserted, int cut)
    {
        var text = seed;
        foreach (var (position, fragment) in positions.Zip(inserted).OrderByDescending(p => p.First))
            text = text.Insert(Math.Min(position, text.Length), fragment);
        return text[..Math.Max(0, text.Length - cut)];
    }

    private static Arbitrary<string> TextInputs => Arb.From(Gen.OneOf(
        Spliced([.. Cql2ParserFuzzTests.TextSeeds()], Cql2ParserFuzzTests.Fragments),
        Gen.Elements(Cql2ParserFuzzTests.Fragments).ListOf().Select(string.Concat),
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)));

    private static Arbitrary<string> JsonInputs => Arb.From(Gen.OneOf(
        Spliced([.. Cql2ParserFuzzTests.JsonSeeds()], JsonFragments),
        Gen.Elements(JsonFragments).ListOf().Select(string.Concat)));

    [Property(MaxTest = 3000)]
    public Property ParseText_AnyInput_SucceedsOrThrowsCql2Exception() =>
        Prop.ForAll(TextInputs, input => SucceedsOrRefuses(() => Cql2TextParser.Parse(input)));

    [Property(MaxTest = 3000)]
    public Property ParseJson_AnyInput_SucceedsOrThrowsCql2Exception() =>
        Prop.ForAll(JsonInputs, input => SucceedsOrRefuses(() => Cql2JsonParser.Parse(input)));

    private static bool SucceedsOrRefuses(Func<Expression> parse)
    {
        try
        {
            Cql2ParserFuzzTests.TryBind(parse());
            return true;
        }
        catch (Cql2Exception e)
        {
            return !e.Position.IsNone && !string.IsNullOrWhiteSpace(e.Message);
        }
    }
}
