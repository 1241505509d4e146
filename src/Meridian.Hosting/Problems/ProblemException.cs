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

    /// <summary>Members added to the problem body, e.g. <c>errors</c>: the list of everything invalid in a request.</summary>
    public Dictionary<string, object?> Extensions { get; } = new(StringComparer.Ordinal);

    /// <summary>Response headers the status calls for (<c>WWW-Authenticate</c> on a 401, the current <c>ETag</c> on a 412).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

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
    public const string Unauthorized = Prefix + "unauthorized";
    public const string Forbidden = Prefix + "forbidden";
    public const string Conflict = Prefix + "conflict";
    public const string InvalidFeature = Prefix + "invalid-feature";
    public const string InvalidBody = Prefix + "invalid-body";
    public const string PayloadTooLarge = Prefix + "payload-too-large";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    public const string MethodNotAllowed = Prefix + "method-not-allowed";
    public const string PreconditionFailed = Prefix + "precondition-failed";
    public const string PreconditionRequired = Prefix + "precondition-required";
    public const string Internal = Prefix + "internal";
}
