using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;

namespace Meridian.Features.Api.Transactions;

/// <summary>
/// Collects everything wrong with a request body, each under the JSON pointer of its member, so that one 400
/// lists every mistake instead of the first.
/// </summary>
internal sealed class InvalidMembers
{
    private readonly List<(string Pointer, string Detail)> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string pointer, string detail) => _errors.Add((pointer, detail));

    /// <summary>Throws the 400 problem with an <c>errors</c> list when anything was invalid.</summary>
    public void ThrowIfAny(string what)
    {
        if (!Any) return;
        var problem = new ProblemException(StatusCodes.Status400BadRequest, ProblemTypes.InvalidFeature, $"Invalid {what}",
            $"{_errors.Count} member(s) of the {what} are invalid: " + string.Join("; ", _errors.Select(e => $"{e.Pointer}: {e.Detail}")));
        problem.Extensions["errors"] = _errors.Select(e => new { pointer = e.Pointer, detail = e.Detail }).ToList();
        throw problem;
    }

    /// <summary>A JSON pointer token (RFC 6901): '~' and '/' escaped.</summary>
    public static string Token(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
