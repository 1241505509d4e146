using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Meridian.Processing.Workflows;

/// <summary>
/// Reads a workflow definition (see <c>docs</c> in the README: an Amazon States Language subset) and checks all of it
/// at once: unknown members, wrong types, Next targets that do not exist, states nothing reaches, processes this
/// server does not have, paths that do not parse, and limits that keep hostile definitions from costing the
/// server (nesting, state counts, fan-out). Cycles are allowed: a loop through a Wait state is a polling workflow.
/// </summary>
public sealed partial class WorkflowParser
{
    public const int MaxStates = 500;
    public const int MaxNesting = 8;
    public const int MaxBranches = 32;
    public const int MaxConcurrencyLimit = 64;
    public const int DefaultMaxConcurrency = 4;
    public const int MaxRules = 20;
    public const int MaxAttemptsLimit = 25;
    public const double MaxWaitSeconds = 7 * 24 * 3600;

    private static readonly string[] WorkMembers = ["ResultPath", "Next", "End", "Retry", "Catch"];

    private readonly IReadOnlySet<string> _processes;
    private readonly List<WorkflowDefinitionError> _errors = [];
    private int _states;

    private WorkflowParser(IReadOnlySet<string> processes) => _processes = processes;

    /// <summary>The definition, or a <see cref="WorkflowDefinitionException"/> listing every error found.</summary>
    public static WorkflowDefinition Parse(JsonNode? json, IReadOnlySet<string> processes)
    {
        var parser = new WorkflowParser(processes);
        var definition = parser.ParseDefinition(json);
        if (parser._errors.Count > 0 || definition is null) throw new WorkflowDefinitionException(parser._errors);
        return definition;
    }

    private WorkflowDefinition? ParseDefinition(JsonNode? json)
    {
        if (json is not JsonObject root)
        {
            Error("$", "a workflow definition is a JSON object");
            return null;
        }
        Members(root, "$", ["Name", "Comment", "StartAt", "States"]);
        var name = String(root, "$", "Name", required: true);
        if (name is not null && !IsValidName(name)) Error("$.Name", "a workflow name is 1 to 64 letters, digits, '_' or '-'");
        var comment = String(root, "$", "Comment", required: false);
        var machine = ParseMachine(root, "$", depth: 0);
        return machine is null || name is null ? null : new WorkflowDefinition(name, comment, machine, root);
    }

    private StateMachine? ParseMachine(JsonObject json, string path, int depth)
    {
        if (depth > MaxNesting)
        {
            Error(path, $"Parallel and Map states nest at most {MaxNesting} deep");
            return null;
        }
        var startAt = String(json, path, "StartAt", required: true);
        if (json["States"] is not JsonObject states || states.Count == 0)
        {
            Error(path + ".States", "an object of one state or more is required");
            return null;
        }
        // Counted before any state is read, so that a huge definition costs nothing more than its parsing.
        _states += states.Count;
        if (_states > MaxStates)
        {
            Error(path + ".States", $"a workflow has at most {MaxStates} states in all");
            return null;
        }
        var parsed = new Dictionary<string, WorkflowState>(StringComparer.Ordinal);
        foreach (var (name, node) in states)
        {
            var statePath = $"{path}.States['{name}']";
            if (name.Length is 0 or > 80) Error(statePath, "a state name has 1 to 80 characters");
            if (node is not JsonObject state) Error(statePath, "a state is a JSON object");
            else if (ParseState(name, state, statePath, depth) is { } s) parsed[name] = s;
        }
        if (startAt is not null && !states.ContainsKey(startAt)) Error(path + ".StartAt", $"there is no state '{startAt}'");
        CheckTargets(parsed, states, path);
        if (startAt is not null && states.ContainsKey(startAt)) CheckReachable(startAt, parsed, path);
        return startAt is null ? null : new StateMachine(startAt, parsed);
    }

    private void CheckTargets(Dictionary<string, WorkflowState> parsed, JsonObject states, string path)
    {
        foreach (var state in parsed.Values)
        {
            foreach (var (target, member) in Targets(state))
            {
                if (!states.ContainsKey(target)) Error($"{path}.States['{state.Name}'].{member}", $"there is no state '{target}' here");
            }
        }
    }

    private void CheckReachable(string startAt, Dictionary<string, WorkflowState> parsed, string path)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal) { startAt };
        var queue = new Queue<string>([startAt]);
        while (queue.TryDequeue(out var name))
        {
            if (!parsed.TryGetValue(name, out var state)) continue;
            foreach (var (target, _) in Targets(state))
            {
                if (reached.Add(target)) queue.Enqueue(target);
            }
        }
        foreach (var name in parsed.Keys.Where(n => !reached.Contains(n)))
            Error($"{path}.States['{name}']", $"no path from StartAt reaches the state '{name}'");
    }

    private static IEnumerable<(string Target, string Member)> Targets(WorkflowState state)
    {
        if (state.Next is { } next) yield return (next, "Next");
        if (state is WorkState work)
        {
            for (var i = 0; i < work.Catch.Count; i++) yield return (work.Catch[i].Next, $"Catch[{i}].Next");
        }
        if (state is ChoiceState choice)
        {
            for (var i = 0; i < choice.Choices.Count; i++) yield return (choice.Choices[i].Next, $"Choices[{i}].Next");
            if (choice.Default is { } fallback) yield return (fallback, "Default");
        }
    }

    private WorkflowState? ParseState(string name, JsonObject json, string path, int depth)
    {
        var type = String(json, path, "Type", required: true);
        switch (type)
        {
            case "Task":
            {
                Members(json, path, ["Type", "Comment", "Process", "Parameters", .. WorkMembers]);
                var process = String(json, path, "Process", required: true);
                if (process is not null && !_processes.Contains(process)) Error(path + ".Process", $"there is no process '{process}' on this server");
                JsonObject? parameters = null;
                if (json["Parameters"] is { } p)
                {
                    if (p is JsonObject o) CheckParameters(parameters = o, path + ".Parameters");
                    else Error(path + ".Parameters", "Parameters is a JSON object");
                }
                return new TaskState(name, Next(json, path), process ?? "", parameters, ResultPath(json, path, "ResultPath"), Retries(json, path), Catches(json, path));
            }
            case "Parallel":
            {
                Members(json, path, ["Type", "Comment", "Branches", .. WorkMembers]);
                var branches = new List<StateMachine>();
                if (json["Branches"] is not JsonArray { Count: > 0 and <= MaxBranches } array) Error(path + ".Branches", $"an array of 1 to {MaxBranches} branches is required");
                else
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        var branchPath = $"{path}.Branches[{i}]";
                        if (array[i] is not JsonObject branch) Error(branchPath, "a branch is an object with StartAt and States");
                        else if (BranchMachine(branch, branchPath, depth) is { } machine) branches.Add(machine);
                    }
                }
                return new ParallelState(name, Next(json, path), branches, ResultPath(json, path, "ResultPath"), Retries(json, path), Catches(json, path));
            }
            case "Map":
            {
                Members(json, path, ["Type", "Comment", "ItemsPath", "Iterator", "MaxConcurrency", .. WorkMembers]);
                var items = json.ContainsKey("ItemsPath") ? Path(json, path, "ItemsPath") : JsonPath.Parse("$");
                var concurrency = (int)(Number(json, path, "MaxConcurrency", 1, MaxConcurrencyLimit, integer: true) ?? DefaultMaxConcurrency);
                StateMachine? iterator = null;
                if (json["Iterator"] is not JsonObject iteratorJson) Error(path + ".Iterator", "an object with StartAt and States is required");
                else iterator = BranchMachine(iteratorJson, path + ".Iterator", depth);
                return iterator is null || items is null ? null
                    : new MapState(name, Next(json, path), items, iterator, concurrency, ResultPath(json, path, "ResultPath"), Retries(json, path), Catches(json, path));
            }
            case "Choice":
            {
                Members(json, path, ["Type", "Comment", "Choices", "Default"]);
                var rules = new List<ChoiceRule>();
                if (json["Choices"] is not JsonArray { Count: > 0 and <= MaxRules } array) Error(path + ".Choices", $"an array of 1 to {MaxRules} rules is required");
                else
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        var rulePath = $"{path}.Choices[{i}]";
                        if (array[i] is not JsonObject rule) { Error(rulePath, "a rule is an object"); continue; }
                        var next = String(rule, rulePath, "Next", required: true);
                        var condition = ParseCondition(rule, rulePath, topLevel: true, depth: 0);
                        if (next is not null && condition is not null) rules.Add(new ChoiceRule(condition, next));
                    }
                }
                return new ChoiceState(name, rules, String(json, path, "Default", required: false));
            }
            case "Wait":
                Members(json, path, ["Type", "Comment", "Seconds", "Next", "End"]);
                if (!json.ContainsKey("Seconds")) Error(path + ".Seconds", "Seconds is required");
                return new WaitState(name, Next(json, path), Number(json, path, "Seconds", 0, MaxWaitSeconds, integer: false) ?? 0);
            case "Succeed":
                Members(json, path, ["Type", "Comment"]);
                return new SucceedState(name);
            case "Fail":
                Members(json, path, ["Type", "Comment", "Error", "Cause"]);
                return new FailState(name, String(json, path, "Error", required: true) ?? "", String(json, path, "Cause", required: false));
            case null:
                return null;
            default:
                Error(path + ".Type", $"'{type}' is not a state type (Task, Choice, Parallel, Map, Wait, Succeed, Fail)");
                return null;
        }
    }

    private StateMachine? BranchMachine(JsonObject json, string path, int depth)
    {
        Members(json, path, ["StartAt", "States", "Comment"]);
        return ParseMachine(json, path, depth + 1);
    }

    private Condition? ParseCondition(JsonObject json, string path, bool topLevel, int depth)
    {
        if (depth > MaxNesting)
        {
            Error(path, $"conditions nest at most {MaxNesting} deep");
            return null;
        }
        string[] allowed = topLevel ? ["Next"] : [];
        if (json["And"] is { } and) return Combined(json, path, "And", and, allowed, depth, all => new AndCondition(all));
        if (json["Or"] is { } or) return Combined(json, path, "Or", or, allowed, depth, any => new OrCondition(any));
        if (json["Not"] is { } not)
        {
            Members(json, path, ["Not", .. allowed]);
            if (not is JsonObject inner) return ParseCondition(inner, path + ".Not", topLevel: false, depth + 1) is { } c ? new NotCondition(c) : null;
            Error(path + ".Not", "Not takes one condition object");
            return null;
        }
        Members(json, path, ["Variable", .. ComparisonCondition.Operators, .. allowed]);
        var variable = json.ContainsKey("Variable") ? Path(json, path, "Variable") : null;
        if (!json.ContainsKey("Variable")) Error(path, "a condition has Variable and one operator, or And, Or or Not");
        var operators = ComparisonCondition.Operators.Where(json.ContainsKey).ToList();
        if (operators.Count != 1)
        {
            Error(path, $"a condition has exactly one operator of {string.Join(", ", ComparisonCondition.Operators)}");
            return null;
        }
        var value = json[operators[0]];
        if (operators[0] == "IsPresent" && value?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error($"{path}.IsPresent", "IsPresent is true or false");
            return null;
        }
        return variable is null ? null : new ComparisonCondition(variable, operators[0], value?.DeepClone());
    }

    private Condition? Combined(JsonObject json, string path, string member, JsonNode node, string[] allowed, int depth, Func<IReadOnlyList<Condition>, Condition> create)
    {
        Members(json, path, [member, .. allowed]);
        if (node is not JsonArray { Count: > 0 and <= MaxRules } array)
        {
            Error($"{path}.{member}", $"{member} takes an array of 1 to {MaxRules} conditions");
            return null;
        }
        var conditions = new List<Condition>();
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = $"{path}.{member}[{i}]";
            if (array[i] is JsonObject item && ParseCondition(item, itemPath, topLevel: false, depth + 1) is { } c) conditions.Add(c);
            else if (array[i] is not JsonObject) Error(itemPath, "a condition is an object");
        }
        return conditions.Count == array.Count ? create(conditions) : null;
    }

    /// <summary>Parameters members whose name ends in ".$" take their value from the input: the value must be a path.</summary>
    private void CheckParameters(JsonObject parameters, string path)
    {
        foreach (var (name, value) in parameters)
        {
            var memberPath = $"{path}['{name}']";
            if (name.EndsWith(".$", StringComparison.Ordinal))
            {
                if (value?.GetValueKind() != JsonValueKind.String) Error(memberPath, "a member ending in '.$' takes a path string");
                else if (WorkflowParameters.TryParsePath(value.GetValue<string>(), out _, out var error) is null) Error(memberPath, $"not a path: {error}");
            }
            else if (value is JsonObject nested)
            {
                CheckParameters(nested, memberPath);
            }
        }
    }

    private string? Next(JsonObject json, string path)
    {
        var next = String(json, path, "Next", required: false);
        var end = json["End"];
        if (end is not null && end.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)) Error(path + ".End", "End is true or false");
        var ends = end?.GetValueKind() == JsonValueKind.True;
        if (next is null == !ends) Error(path, "a state has either Next or \"End\": true");
        return next;
    }

    private JsonPath? ResultPath(JsonObject json, string path, string member)
    {
        if (!json.TryGetPropertyValue(member, out var value)) return JsonPath.Parse("$");
        return value is null ? null : Path(json, path, member);
    }

    private JsonPath? Path(JsonObject json, string path, string member)
    {
        if (json[member]?.GetValueKind() != JsonValueKind.String)
        {
            Error($"{path}.{member}", "a path string such as \"$.result\" is required");
            return null;
        }
        var parsed = JsonPath.TryParse(json[member]!.GetValue<string>(), out var error);
        if (parsed is null) Error($"{path}.{member}", $"not a path: {error}");
        return parsed;
    }

    private List<RetryRule> Retries(JsonObject json, string path) => Rules(json, path, "Retry", (rule, rulePath, errors) =>
    {
        Members(rule, rulePath, ["ErrorEquals", "IntervalSeconds", "BackoffRate", "MaxAttempts"]);
        return new RetryRule(errors,
            Number(rule, rulePath, "IntervalSeconds", 0, 24 * 3600, integer: false) ?? 1,
            Number(rule, rulePath, "BackoffRate", 1, 10, integer: false) ?? 2,
            (int)(Number(rule, rulePath, "MaxAttempts", 0, MaxAttemptsLimit, integer: true) ?? 3));
    });

    private List<CatchRule> Catches(JsonObject json, string path) => Rules(json, path, "Catch", (rule, rulePath, errors) =>
    {
        Members(rule, rulePath, ["ErrorEquals", "Next", "ResultPath"]);
        var next = String(rule, rulePath, "Next", required: true);
        return next is null ? null : new CatchRule(errors, next, ResultPath(rule, rulePath, "ResultPath"));
    });

    private List<T> Rules<T>(JsonObject json, string path, string member, Func<JsonObject, string, IReadOnlyList<string>, T?> create) where T : class
    {
        var rules = new List<T>();
        if (!json.TryGetPropertyValue(member, out var node)) return rules;
        if (node is not JsonArray { Count: <= MaxRules } array)
        {
            Error($"{path}.{member}", $"{member} is an array of at most {MaxRules} rules");
            return rules;
        }
        for (var i = 0; i < array.Count; i++)
        {
            var rulePath = $"{path}.{member}[{i}]";
            if (array[i] is not JsonObject rule) { Error(rulePath, "a rule is an object"); continue; }
            if (rule["ErrorEquals"] is not JsonArray { Count: > 0 } names || names.Any(n => n?.GetValueKind() != JsonValueKind.String))
            {
                Error(rulePath + ".ErrorEquals", "an array of error names (strings) is required, e.g. [\"States.ALL\"]");
                continue;
            }
            if (create(rule, rulePath, names.Select(n => n!.GetValue<string>()).ToList()) is { } created) rules.Add(created);
        }
        return rules;
    }

    private string? String(JsonObject json, string path, string member, bool required)
    {
        if (!json.TryGetPropertyValue(member, out var value) || value is null)
        {
            if (required) Error($"{path}.{member}", $"{member} is required");
            return null;
        }
        if (value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > 0) return value.GetValue<string>();
        Error($"{path}.{member}", $"{member} is a non-empty string");
        return null;
    }

    private double? Number(JsonObject json, string path, string member, double min, double max, bool integer)
    {
        if (!json.TryGetPropertyValue(member, out var value)) return null;
        if (value?.GetValueKind() == JsonValueKind.Number && value.GetValue<double>() is var number && number >= min && number <= max
            && (!integer || number == Math.Floor(number)))
            return number;
        Error($"{path}.{member}", $"{member} is {(integer ? "an integer" : "a number")} from {min} to {max}");
        return null;
    }

    private void Members(JsonObject json, string path, string[] allowed)
    {
        foreach (var (name, _) in json)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal)) Error($"{path}.{name}", $"unknown member '{name}' (allowed here: {string.Join(", ", allowed)})");
        }
    }

    private void Error(string path, string message)
    {
        // A hostile definition can hold thousands of mistakes; the first hundred say enough.
        if (_errors.Count < 100) _errors.Add(new WorkflowDefinitionError(path, message));
    }

    /// <summary>Workflow names appear in URLs and object keys: 1 to 64 letters, digits, '_' or '-'.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}

/// <summary>A definition that cannot be registered, with every reason.</summary>
public sealed class WorkflowDefinitionException(IReadOnlyList<WorkflowDefinitionError> errors)
    : Exception($"The workflow definition is not valid: {string.Join("; ", errors)}")
{
    public IReadOnlyList<WorkflowDefinitionError> Errors { get; } = errors;
}

/// <param name="Path">Where in the definition, as a path from its root: <c>$.States['Buffer'].Next</c>.</param>
public sealed record WorkflowDefinitionError(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}
