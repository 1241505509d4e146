using Meridian.Hosting.Configuration;
using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Security;

/// <summary>
/// The processes anyone may execute (<c>Security:AnonymousProcesses</c>): an execution is a write, so it needs a key
/// or the write scope, except for these. None by default. It exists for clients that cannot send credentials, above
/// all OGC's conformance suite for Processes, which executes <c>echo</c> anonymously. The gateway's access policy and
/// the execution endpoint both ask it, so that one setting opens the same door in every deployment.
/// </summary>
public sealed class AnonymousProcesses(MeridianOptions options)
{
    private readonly HashSet<string> _ids = new(options.Security.AnonymousProcesses, StringComparer.Ordinal);

    public bool Allows(string processId) => _ids.Contains(processId);

    /// <summary>Whether the request executes such a process: <c>POST /processes/{id}/execution</c>.</summary>
    public bool Allows(HttpRequest request)
    {
        if (_ids.Count == 0 || !HttpMethods.IsPost(request.Method)) return false;
        var segments = request.Path.Value.AsSpan();
        Span<Range> parts = stackalloc Range[5];
        if (segments.Split(parts, '/') != 4 || !segments[parts[0]].IsEmpty) return false;
        return segments[parts[1]].Equals("processes", StringComparison.OrdinalIgnoreCase)
            && segments[parts[3]].Equals("execution", StringComparison.OrdinalIgnoreCase)
            && _ids.GetAlternateLookup<ReadOnlySpan<char>>().Contains(segments[parts[2]]);
    }
}
