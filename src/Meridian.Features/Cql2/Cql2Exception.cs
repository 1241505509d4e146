using Meridian.Hosting.Problems;
using Meridian.Storage.Filtering;

namespace Meridian.Features.Cql2;

/// <summary>
/// A filter that cannot be run: malformed, too large, or not matching the collection's queryables. The message
/// names what is wrong and where ("unknown property 'popu' at 12", "expected ')' at 34 but found 'AND'");
/// it is meant for the client, as the detail of a 400 problem (<see cref="ToProblem"/>).
/// </summary>
public sealed class Cql2Exception : Exception
{
    public Cql2Exception(string message, SourcePosition position)
        : base(message) => Position = position;

    /// <summary>Where in the filter the error is: a character offset (cql2-text) or a JSON path (cql2-json).</summary>
    public SourcePosition Position { get; }

    /// <summary>"{what} at {position}[ but found {found}]".</summary>
    internal static Cql2Exception At(SourcePosition position, string what, string? found = null) =>
        new(found is null ? $"{what} at {position}" : $"{what} at {position} but found {found}", position);

    /// <summary>The 400 problem the API answers with, for the parameter that held the filter.</summary>
    public ProblemException ToProblem(string parameter = "filter") => ProblemException.InvalidParameter(parameter, Message);
}
