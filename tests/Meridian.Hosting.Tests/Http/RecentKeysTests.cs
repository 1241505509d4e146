using System.Text;
using Meridian.Hosting.Http;

namespace Meridian.Hosting.Tests.Http;

public sealed class RecentKeysTests
{
    private static byte[] Parts(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void KeyOf_IsTheKeyOfTheParts_AskedOnceOrAgain()
    {
        var keys = new RecentKeys("http:");
        var parts = Parts("Tiles\nhttp\nlocalhost\n/collections/c/tiles/WebMercatorQuad/5/1/2\n");
        var expected = RepresentationKey.Hash("http:", parts);

        var answers = Enumerable.Range(0, 4).Select(_ => keys.KeyOf(parts)).ToList();

        Assert.All(answers, key => Assert.Equal(expected, key));
        Assert.StartsWith("http:", expected);
    }

    [Fact]
    public void KeyOf_AKeptKey_IsGivenAgainWithoutBeingMadeAgain()
    {
        var keys = new RecentKeys("http:");
        var parts = Parts("Tiles\n/collections/c/tiles/WebMercatorQuad/5/1/2\n");

        keys.KeyOf(parts);
        var kept = keys.KeyOf(parts);

        Assert.Same(kept, keys.KeyOf(parts));
    }

    [Fact]
    public void KeyOf_PartsInTheSameSlot_EachGetTheirOwnKey()
    {
        // Many more distinct parts than slots: some share a slot, and each must still get exactly its own key.
        var keys = new RecentKeys("http:");
        var all = Enumerable.Range(0, 20_000).Select(i => Parts($"Tiles\n/collections/c/tiles/WebMercatorQuad/12/{i}/7\n")).ToArray();

        for (var round = 0; round < 3; round++)
        {
            foreach (var parts in all) Assert.Equal(RepresentationKey.Hash("http:", parts), keys.KeyOf(parts));
        }
    }

    [Fact]
    public void KeyOf_PartsThatDifferInOneByte_GetDifferentKeys()
    {
        var keys = new RecentKeys("http:");
        var first = Parts("Tiles\n/collections/c/tiles/WebMercatorQuad/5/1/2\n");
        var second = Parts("Tiles\n/collections/c/tiles/WebMercatorQuad/5/1/3\n");

        keys.KeyOf(first);
        keys.KeyOf(first);

        Assert.NotEqual(keys.KeyOf(first), keys.KeyOf(second));
        Assert.Equal(RepresentationKey.Hash("http:", second), keys.KeyOf(second));
    }

    [Fact]
    public void KeyOf_LongParts_AreKeyedButNotKept()
    {
        var keys = new RecentKeys("http:");
        var parts = Parts("Features\n" + new string('q', 2000) + "\n");

        var first = keys.KeyOf(parts);
        var second = keys.KeyOf(parts);
        var third = keys.KeyOf(parts);

        Assert.Equal(first, third);
        Assert.NotSame(second, third);
    }
}
