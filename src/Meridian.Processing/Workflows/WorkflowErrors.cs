namespace Meridian.Processing.Workflows;

/// <summary>The error names Retry and Catch rules match (ErrorEquals), besides those Fail states raise.</summary>
public static class WorkflowErrors
{
    /// <summary>Matches every error.</summary>
    public const string All = "States.ALL";

    /// <summary>Matches every error a process raised (both below).</summary>
    public const string TaskFailed = "States.TaskFailed";

    /// <summary>The process refused its inputs (a ProcessInputException, naming the input).</summary>
    public const string InvalidInput = "Process.InvalidInput";

    /// <summary>The process failed otherwise (an internal error; the cause is in the server log).</summary>
    public const string ProcessFailed = "Process.Failed";

    public const string Runtime = "States.Runtime";
    public const string ParameterPathFailure = "States.ParameterPathFailure";
    public const string ResultPathMatchFailure = "States.ResultPathMatchFailure";
    public const string NoChoiceMatched = "States.NoChoiceMatched";

    public static bool Matches(IReadOnlyList<string> errorEquals, string error) =>
        errorEquals.Any(e => e == All || e == error || (e == TaskFailed && error is InvalidInput or ProcessFailed));
}

/// <summary>A workflow error: a name for Retry/Catch to match and a cause for people.</summary>
public sealed class WorkflowRuntimeException(string error, string cause) : Exception(cause)
{
    public string Error { get; } = error;

    public string Cause => Message;
}
