namespace Meridian.Ingestion.Tests;

/// <summary>
/// Holds an ingest at its first progress report (for a small file, the end of its first pass: its mode checked, the
/// store not yet written), until the test lets it go on: another ingest can run in that window.
/// </summary>
internal sealed class PausedProgress : IProgress<IngestProgress>, IDisposable
{
    private readonly ManualResetEventSlim _paused = new();
    private readonly ManualResetEventSlim _resume = new();

    public Task Paused => Task.Run(() => _paused.Wait(TimeSpan.FromMinutes(1)));

    public void Resume() => _resume.Set();

    public void Report(IngestProgress value)
    {
        if (_paused.IsSet) return;
        _paused.Set();
        _resume.Wait(TimeSpan.FromMinutes(1));
    }

    public void Dispose()
    {
        _paused.Dispose();
        _resume.Dispose();
    }
}
