using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Problems;

/// <summary>
/// An error that knows its HTTP status and its stable RFC 9457 problem type. Throw it from anywhere in a
/// request; <see cref="ProblemExceptionHandler"/> turns it into application/problem+json.
/// </summary>
public sealed class ProblemException(int status, string type, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    /// <summary>A stable problem type URI, one per error kind (see <see cref="ProblemTypes"/>).</summary>
    public string Type { get; } = type;

    public string Title { get; } = title;

    public static ProblemException InvalidParameter(string parameter, string detail) =>
        new(StatusCodes.Status400BadRequest, ProblemTypes.InvalidParameter, $"Invalid parameter '{parameter}'", detail);

    public static ProblemException NotFound(string detail) =>
        new(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found", detail);

    public static ProblemException NotAcceptable(string detail) =>
        new(StatusCodes.Status406NotAcceptable, ProblemTypes.NotAcceptable, "Not acceptable", detail);
}

public static class ProblemTypes
{
    private const string Prefix = "urn:meridian:problem:";
    public const string InvalidParameter = Prefix + "invalid-parameter";
    public const string NotFound = Prefix + "not-found";
    public const string NotAcceptable = Prefix + "not-acceptable";
    public const string Unavailable = Prefix + "unavailable";
    public const string Internal = Prefix + "internal";
}
