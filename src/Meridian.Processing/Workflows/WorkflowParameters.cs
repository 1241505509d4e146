using System.Text.Json.Nodes;

namespace Meridian.Processing.Workflows;

/// <summary>
/// Builds a Task's inputs from its Parameters: members are copied, and a member named <c>"name.$"</c> becomes
/// <c>"name"</c> with the value its path names in the state input (a missing value fails with States.ParameterPathFailure).
/// A path starting with <c>$$</c> reads the context object instead: <c>$$.Execution.Id</c> (the job id) and
/// <c>$$.Execution.Workflow</c> (the workflow name).
/// </summary>
public static class WorkflowParameters
{
    public const string ContextPrefix = "$$";

    public static JsonObject Context(string jobId, string workflow) =>
        new() { ["Execution"] = new JsonObject { ["Id"] = jobId, ["Workflow"] = workflow } };

    /// <summary>The path of a parameter reference, with <c>$$</c> read as the context object's root.</summary>
    public static JsonPath? TryParsePath(string text, out bool context, out string error)
    {
        context = text.StartsWith(ContextPrefix, StringComparison.Ordinal);
        return JsonPath.TryParse(context ? text[1..] : text, out error);
    }

    public static JsonObject Resolve(JsonObject parameters, JsonNode? input, JsonObject context)
    {
        var resolved = new JsonObject();
        foreach (var (name, value) in parameters)
        {
            if (name.EndsWith(".$", StringComparison.Ordinal))
            {
                var path = TryParsePath(value!.GetValue<string>(), out var fromContext, out _)!;
                if (!path.TryGet(fromContext ? context : input, out var found))
                    throw new WorkflowRuntimeException(WorkflowErrors.ParameterPathFailure, $"The parameter '{name[..^2]}' refers to '{path}', which the state input does not have.");
                resolved[name[..^2]] = found?.DeepClone();
            }
            else
            {
                resolved[name] = value is JsonObject nested ? Resolve(nested, input, context) : value?.DeepClone();
            }
        }
        return resolved;
    }
}
