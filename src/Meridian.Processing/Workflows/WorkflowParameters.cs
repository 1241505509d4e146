using System.Text.Json.Nodes;

namespace Meridian.Processing.Workflows;

/// <summary>
/// Builds a Task's inputs from its Parameters: members are copied, and a member named <c>"name.$"</c> becomes
/// <c>"name"</c> with the value its path names in the state input (a missing value fails with States.ParameterPathFailure).
/// </summary>
public static class WorkflowParameters
{
    public static JsonObject Resolve(JsonObject parameters, JsonNode? input)
    {
        var resolved = new JsonObject();
        foreach (var (name, value) in parameters)
        {
            if (name.EndsWith(".$", StringComparison.Ordinal))
            {
                var path = JsonPath.Parse(value!.GetValue<string>());
                if (!path.TryGet(input, out var found))
                    throw new WorkflowRuntimeException(WorkflowErrors.ParameterPathFailure, $"The parameter '{name[..^2]}' refers to '{path}', which the state input does not have.");
                resolved[name[..^2]] = found?.DeepClone();
            }
            else
            {
                resolved[name] = value is JsonObject nested ? Resolve(nested, input) : value?.DeepClone();
            }
        }
        return resolved;
    }
}
