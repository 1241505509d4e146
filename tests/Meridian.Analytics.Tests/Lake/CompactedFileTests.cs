using Meridian.Analytics.Lake;
using Meridian.Storage.Objects;

namespace Meridian.Analytics.Tests.Lake;

public sealed class CompactedFileTests
{
    private static readonly DateTime Hour = new(2026, 3, 1, 7, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Resolve_NoCompactedFile_CountsEveryFile()
    {
        var view = CompactedFile.Resolve([Raw("a"), Raw("b")]);

        Assert.Equal(["a", "b"], Names(view.Counted));
        Assert.Empty(view.Superseded);
    }

    [Fact]
    public void Resolve_CompactedBesideItsInputs_CountsItAndWhatItDoesNotCover()
    {
        var compacted = Compacted("c1", "a", "b");

        var view = CompactedFile.Resolve([Raw("a"), Raw("b"), Raw("late"), compacted]);

        Assert.Equal(["c1", "late"], Names(view.Counted));
        Assert.Equal([("a", "c1"), ("b", "c1")], view.Superseded.Select(s => (Name(s.File), Name(s.By))));
    }

    [Fact]
    public void Resolve_CompactedOfACompacted_SupersedesItAndItsInputs()
    {
        var first = Compacted("c1", "a", "b");
        var second = Compacted("c2", "a", "b", "c1", "late");

        var view = CompactedFile.Resolve([first, Raw("a"), second, Raw("late")]);

        Assert.Equal(["c2"], Names(view.Counted));
        Assert.Equal(["a", "c1", "late"], view.Superseded.Where(s => Name(s.By) == "c2").Select(s => Name(s.File)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Resolve_TwoCompactorsWroteTheSameCover_CountsOne()
    {
        var view = CompactedFile.Resolve([Compacted("c1", "a", "b"), Compacted("c1bis", "a", "b"), Raw("a")]);

        Assert.Equal(["c1"], Names(view.Counted));
        Assert.Equal(["a", "c1bis"], view.Superseded.Select(s => Name(s.File)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Resolve_CompactedFilesThatOverlapWithoutNesting_NeverCountAFileTwice()
    {
        var view = CompactedFile.Resolve([Compacted("c1", "a", "b", "c"), Compacted("c2", "c", "d"), Raw("d")]);

        Assert.Equal(["c1", "d"], Names(view.Counted));
    }

    private static HourFile<string> Raw(string name) => new(name, Key(name), DateTimeOffset.UnixEpoch, null);

    private static HourFile<string> Compacted(string name, params string[] covers) =>
        new(name, Key(name), DateTimeOffset.UnixEpoch, covers.Select(c => c + ".parquet").ToHashSet(StringComparer.Ordinal));

    private static ObjectKey Key(string name) => ObjectKey.Parse(LakeLayout.HourPrefix(Hour) + name + ".parquet");

    private static string Name(HourFile<string> file) => file.File;

    private static string[] Names(IEnumerable<HourFile<string>> files) => files.Select(Name).ToArray();
}
