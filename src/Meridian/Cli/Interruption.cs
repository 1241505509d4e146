namespace Meridian.Cli;

/// <summary>
/// Ctrl-C (SIGINT) as a cancellation for a command that must clean up: the first one cancels <see cref="Token"/>
/// (a load rolls back, temporary files are deleted, a server's job is dismissed); a second one ends the process at
/// once. Without it SIGINT ends the process on the spot (the host's own shutdown handling leaves it unhandled).
/// </summary>
internal sealed class Interruption : IDisposable
{
    /// <summary>The exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report it.</summary>
    public const int ExitCode = 130;

    private readonly CancellationTokenSource _source;

    public Interruption(CancellationToken outer)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        Console.CancelKeyPress += OnCancelKeyPress;
    }

    public CancellationToken Token => _source.Token;

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (_source.IsCancellationRequested) return;
        e.Cancel = true;
        _source.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _source.Dispose();
    }
}
