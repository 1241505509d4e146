using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;

namespace Meridian.Processing.Processes;

/// <summary>Every process this process can run, by id: the library's and any other module's <see cref="IProcess"/> registrations.</summary>
public sealed class ProcessRegistry(IEnumerable<IProcess> processes)
{
    public const string NoSuchProcess = "http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/no-such-process";

    private readonly Dictionary<string, IProcess> _processes = processes.ToDictionary(p => p.Description.Id, StringComparer.Ordinal);

    public IEnumerable<IProcess> All => _processes.Values.OrderBy(p => p.Description.Id, StringComparer.Ordinal);

    /// <summary>The process, or the 404 problem OGC API – Processes names no-such-process.</summary>
    public IProcess Get(string id) => _processes.GetValueOrDefault(id)
        ?? throw new ProblemException(StatusCodes.Status404NotFound, NoSuchProcess, "No such process", $"There is no process '{id}'.");
}
