using Meridian.Ingestion;

namespace Meridian.Cli;

/// <summary>The outcome of a load, as the user reads it: counts, warnings and every rejected record.</summary>
internal static class IngestReportPrinter
{
    /// <summary>Rejections listed on the terminal; the rest are counted (a job's report through the API lists all).</summary>
    private const int ListedRejections = 50;

    public static async Task PrintAsync(IngestReport report, string storeName)
    {
        await Console.Error.WriteLineAsync(
            $"loaded {report.Loaded:N0} of {report.Read:N0} records from {report.Format} layer '{report.Layer}' ({report.SourceCrs}) into '{report.Collection}' ({storeName})"
            + (report.Repaired > 0 ? $"; {report.Repaired:N0} invalid geometries repaired" : ""));
        foreach (var warning in report.Warnings) await Console.Error.WriteLineAsync("warning: " + warning);
        if (report.Rejected == 0) return;
        await Console.Error.WriteLineAsync($"rejected {report.Rejected:N0} records:");
        foreach (var rejection in report.Rejections.Take(ListedRejections))
            await Console.Error.WriteLineAsync($"  record {rejection.Record}: {rejection.Reason}");
        if (report.Rejected > ListedRejections) await Console.Error.WriteLineAsync($"  … and {report.Rejected - ListedRejections:N0} more");
    }
}
