using Meridian.Ingestion;

namespace Meridian.Cli;

/// <summary>A progress line on stderr, rewritten in place; plain lines when stderr is not a terminal (CI logs).</summary>
internal sealed class ProgressLine(string label) : IProgress<IngestProgress>
{
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private long _lastWrite;

    public void Report(IngestProgress value)
    {
        // Not every report: a terminal redraws at most ten times a second, a log gets a line every five seconds.
        var now = Environment.TickCount64;
        if (now - _lastWrite < (_terminal ? 100 : 5000)) return;
        _lastWrite = now;
        var text = $"{label}: {value.Describe()}";
        if (_terminal) Console.Error.Write("\r" + text.PadRight(Math.Max(text.Length, 60)));
        else Console.Error.WriteLine(text);
    }

    public void Done()
    {
        if (_terminal && _lastWrite != 0) Console.Error.WriteLine();
    }
}
