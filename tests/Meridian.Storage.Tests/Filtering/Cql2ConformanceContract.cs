using Meridian.Features.Cql2;
using Meridian.Storage.Filtering;
using Meridian.Storage.Querying;
using Meridian.Testing;

namespace Meridian.Storage.Tests.Filtering;

/// <summary>
/// The test-data predicates of CQL2's abstract test suite (OGC 21-065 Annex A) against the standard's dataset
/// loaded in a store: every case selects exactly the number of features the standard gives, both counted and
/// read as a page. Each store runs the same cases through its own SQL.
/// </summary>
public abstract class Cql2ConformanceContract(IFeatureStore store)
{
    protected async Task<IFeatureCollection> CollectionAsync(string id) =>
        (await store.GetCollectionsAsync(CancellationToken.None)).Single(c => c.Schema.Id == id);

    protected async Task<Filter> BindAsync(string collection, string text) =>
        Bind((await CollectionAsync(collection)).Schema, text);

    private static Filter Bind(Schema.CollectionSchema schema, string text) =>
        new Cql2Binder(schema, new Cql2BinderOptions { GeometryAliases = [schema.GeometryName] }).Bind(Cql2TextParser.Parse(text));

    protected async Task<List<string>> IdsAsync(string collection, string filter)
    {
        var features = await CollectionAsync(collection);
        var query = new FeatureQuery { Filter = Bind(features.Schema, filter), Limit = 100_000 };
        var ids = new List<string>();
        await using var reader = await features.QueryAsync(query, CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None)) ids.Add(reader.Id);
        return ids;
    }

    [Theory]
    [MemberData(nameof(Cql2ConformanceCases.Data), MemberType = typeof(Cql2ConformanceCases))]
    public async Task QueryAsync_ConformanceCase_SelectsTheStandardsCount(string conformanceClass, string collection, string filter, int expectedCount)
    {
        _ = conformanceClass;
        var features = await CollectionAsync(collection);
        var query = new FeatureQuery { Filter = Bind(features.Schema, filter), Limit = 100_000 };

        var counted = await features.CountAsync(query.WithoutPaging(), CancellationToken.None);
        var read = (await IdsAsync(collection, filter)).Count;

        Assert.Equal(expectedCount, counted);
        Assert.Equal(expectedCount, read);
    }

    [Theory]
    [InlineData("ACCENTI(name) = accenti('Sao Paulo')", "São Paulo")]
    [InlineData("ACCENTI(CASEI(name)) = accenti(casei('KOBENHAVN'))", "København")]
    [InlineData("CASEI(name) = casei('SÃO PAULO')", "São Paulo")]
    [InlineData("ACCENTI(CASEI(name)) LIKE accenti(casei('SAO P%'))", "São Paulo")]
    public async Task QueryAsync_FoldedComparison_FindsThePlace(string filter, string name)
    {
        var ids = await IdsAsync(Cql2Dataset.Places, filter);

        var expected = await IdsAsync(Cql2Dataset.Places, $"name = '{name}'");
        Assert.Single(expected);
        Assert.Equal(expected, ids);
    }

    [Theory]
    [InlineData("name LIKE 'S\\%Paulo'", 0)]
    [InlineData("name LIKE 'S_o Paulo'", 1)]
    [InlineData("name LIKE 's_o paulo'", 0)]
    [InlineData("name LIKE '%'", 243)]
    public async Task QueryAsync_Like_FollowsCql2Wildcards(string filter, int expected)
    {
        Assert.Equal(expected, (await IdsAsync(Cql2Dataset.Places, filter)).Count);
    }

    [Fact]
    public async Task QueryAsync_LikeWithThousandsOfWildcards_IsAnsweredLikeASimplePattern()
    {
        // A hostile pattern: thousands of wildcards, more than any name has characters.
        Assert.Empty(await IdsAsync(Cql2Dataset.Places, $"name LIKE '{string.Concat(Enumerable.Repeat("%_", 2000))}'"));

        var padded = await IdsAsync(Cql2Dataset.Places, $"name LIKE 'S{new string('%', 2000)}Paulo'");
        Assert.NotEmpty(padded);
        Assert.Equal(await IdsAsync(Cql2Dataset.Places, "name LIKE 'S%Paulo'"), padded);
    }

    [Theory]
    [InlineData("T_INTERSECTS(start, INTERVAL('..', '2022-01-01T00:00:00Z'))", 1)]
    [InlineData("T_INTERSECTS(start, INTERVAL('2022-01-01T00:00:00Z', '..'))", 2)]
    [InlineData("T_DURING(INTERVAL(start, \"end\"), INTERVAL('..', '..'))", 3)]
    [InlineData("T_AFTER(\"date\", TIMESTAMP('2022-04-16T00:00:00Z'))", 1)]
    public async Task QueryAsync_OpenIntervalsAndMixedTypes_Match(string filter, int expected)
    {
        Assert.Equal(expected, (await IdsAsync(Cql2Dataset.Places, filter)).Count);
    }

    [Theory]
    [InlineData("A_CONTAINS(('a', 'b'), ('b')) AND name = 'Berlin'", 1)]
    [InlineData("A_OVERLAPS(('a'), ('b'))", 0)]
    [InlineData("pop_other / 0 > 1", 0)]
    [InlineData("pop_other % 0 > 1 OR pop_other div 0 > 1", 0)]
    [InlineData("(0 - pop_other) ^ 0.5 >= 0 AND pop_other > 0", 0)]
    [InlineData("(0 ^ (0 - pop_other) > 1 OR 0 ^ (0 - pop_other) <= 1) AND pop_other > 0", 0)]
    [InlineData("(0 - 8) ^ 2 = 64 AND name = 'Berlin'", 1)]
    public async Task QueryAsync_ConstantAndDegenerateArithmetic_IsDecidedWithoutError(string filter, int expected)
    {
        Assert.Equal(expected, (await IdsAsync(Cql2Dataset.Places, filter)).Count);
    }

    [Fact]
    public async Task QueryAsync_FilterWithBboxAndCursor_CombinesThem()
    {
        var features = await CollectionAsync(Cql2Dataset.Countries);
        var filter = Bind(features.Schema, "POP_EST > 10000000");
        var all = new FeatureQuery { Filter = filter, BoundingBoxes = [new NetTopologySuite.Geometries.Envelope(-20, 40, 30, 60)], Limit = 1000 };
        var expected = new List<string>();
        await using (var reader = await features.QueryAsync(all, CancellationToken.None))
            while (await reader.ReadAsync(CancellationToken.None)) expected.Add(reader.Id);

        var rest = new List<string>();
        await using (var reader = await features.QueryAsync(all with { Cursor = new PageCursor(expected[0], false) }, CancellationToken.None))
            while (await reader.ReadAsync(CancellationToken.None)) rest.Add(reader.Id);

        Assert.InRange(expected.Count, 2, 30);
        Assert.Equal(expected.Skip(1), rest);
        Assert.Equal(expected.Count, await features.CountAsync(all.WithoutPaging(), CancellationToken.None));
    }

    [Theory]
    [InlineData("pop_other", true)]
    [InlineData("date", false)]
    [InlineData("name", false)]
    [InlineData("start", true)]
    public async Task QueryAsync_SortedPagesForwardAndBack_VisitEveryFeatureOnceInOrder(string property, bool descending)
    {
        var features = await CollectionAsync(Cql2Dataset.Places);
        var ordinal = features.Schema.Properties.ToList().FindIndex(p => p.Name == property);
        var query = new FeatureQuery { SortBy = [new SortProperty(features.Schema.Properties[ordinal], descending)], Properties = [] };
        var all = await RowsAsync(features, query with { Limit = 1000 }, ordinal);

        var forward = new List<(string Id, object? Value)>();
        PageCursor? cursor = null;
        do
        {
            var page = await RowsAsync(features, query with { Limit = 10, Cursor = cursor }, ordinal);
            forward.AddRange(page.Take(10));
            cursor = page.Count > 10 ? new PageCursor(page[9].Id, false) { SortValues = [page[9].Value] } : null;
        }
        while (cursor is not null);
        var backward = new List<(string Id, object? Value)>();
        cursor = new PageCursor(all[^1].Id, true) { SortValues = [all[^1].Value] };
        while (true)
        {
            var page = await RowsAsync(features, query with { Limit = 10, Cursor = cursor }, ordinal);
            var rows = page.Count > 10 ? page.Skip(1).ToList() : page;
            backward.InsertRange(0, rows);
            if (page.Count <= 10) break;
            cursor = new PageCursor(rows[0].Id, true) { SortValues = [rows[0].Value] };
        }

        Assert.Equal(243, all.Count);
        var values = all.Select(r => r.Value).ToList();
        var nonNull = values.TakeWhile(v => v is not null).ToList();
        Assert.All(values.Skip(nonNull.Count), v => Assert.Null(v));
        var ordered = descending ? nonNull.OrderDescending(Comparer<object?>.Create(CompareValues)) : nonNull.Order(Comparer<object?>.Create(CompareValues));
        Assert.Equal(ordered, nonNull);
        Assert.Equal(all, forward);
        Assert.Equal(all.SkipLast(1), backward);
    }

    private static int CompareValues(object? a, object? b) => a switch
    {
        string s => string.CompareOrdinal(s, (string)b!),
        IComparable c => c.CompareTo(b),
        _ => 0,
    };

    private static async Task<List<(string Id, object? Value)>> RowsAsync(IFeatureCollection features, FeatureQuery query, int ordinal)
    {
        var rows = new List<(string, object?)>();
        await using var reader = await features.QueryAsync(query, CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            // Properties = [] leaves every other property out: only the sort key is read.
            Assert.All(Enumerable.Range(0, features.Schema.Properties.Count).Where(i => i != ordinal), i => Assert.Null(reader.GetValue(i)));
            rows.Add((reader.Id, reader.GetValue(ordinal)));
        }
        return rows;
    }
}
