using Meridian.Storage;

namespace Meridian.Tests.Backup;

/// <summary>
/// A backup taken while a collection is being written holds it as it was before a write or after it, never half: here the
/// collection is replaced again and again, each time by features all of one generation, while backups are taken.
/// </summary>
public sealed class BackupConsistencyTests : IDisposable
{
    private const int Features = 2000;
    private readonly TempDirectory _archives = new();

    public void Dispose() => _archives.Dispose();

    [Fact]
    public Task Embedded_BackupWhileReplacing_HoldsOneGeneration() => BackupWhileReplacingAsync(null);

    [Fact]
    public async Task PostGis_BackupWhileReplacing_HoldsOneGeneration()
    {
        await using var database = await PostGisTestDatabase.CreateAsync();
        await BackupWhileReplacingAsync(database.ConnectionString);
    }

    private async Task BackupWhileReplacingAsync(string? postgres)
    {
        await using var platform = new BackupPlatform(postgres);
        await platform.Home.ReplaceAsync(SampleData.Places, Generation(0), CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var generations = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                await platform.Home.ReplaceAsync(SampleData.Places, Generation(++generations), CancellationToken.None);
        });

        for (var i = 0; i < 5; i++)
        {
            var archive = Path.Combine(_archives.Path, $"backup-{i}.zip");
            var manifest = await platform.BackupAsync(archive);
            await using var restored = new BackupPlatform();
            await restored.RestoreAsync(archive);
            var collection = await restored.FindAsync("places");
            Assert.True(collection is not null, string.Join("\n", platform.Report.Concat(restored.Report)));
            var features = await BackupPlatform.FeaturesAsync(collection);
            var population = SampleData.Places.Properties.ToList().FindIndex(p => p.Name == "population");
            var inArchive = features.Select(f => (long)f.Values[population]!).Distinct().ToList();
            Assert.Equal(Features, manifest.Collections.Single().Features);
            Assert.Equal(Features, features.Count);
            Assert.Single(inArchive);
        }
        await stop.CancelAsync();
        await writer;

        Assert.True(generations > 0, "the collection was never replaced while the backups ran");
    }

    /// <summary>Features whose population is the generation: a backup mixing two generations holds two values.</summary>
    private static async IAsyncEnumerable<FeatureRecord> Generation(long generation)
    {
        await foreach (var feature in SampleData.Async(SampleData.PlaceFeatures(false, Features)))
            yield return feature with { Properties = new Dictionary<string, object?>(feature.Properties) { ["population"] = generation } };
    }
}
