using System.Text.Json.Nodes;
using Meridian.Processing.Processes;

namespace Meridian.Processing.Workflows;

/// <summary>
/// Registered workflow definitions, one reserved object each (<c>.meridian/workflows/definitions/NAME.json</c>), so
/// every replica sees the same workflows in both deployment modes. Definitions are checked against the processes of
/// this server when registered.
/// </summary>
public sealed class WorkflowRegistry(ReservedDocuments documents, IEnumerable<IProcess> processes)
{
    private const string Folder = "workflows/definitions/";

    private readonly HashSet<string> _processIds = processes.Select(p => p.Description.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>Checks and stores a definition, replacing one of the same name; true when the name is new.</summary>
    public async Task<(WorkflowDefinition Definition, bool Created)> RegisterAsync(JsonNode? json, CancellationToken cancellationToken)
    {
        var definition = WorkflowParser.Parse(json, _processIds);
        var key = KeyOf(definition.Name)!.Value;
        var created = await documents.ReadAsync<JsonObject>(key, WorkflowCheckpoint.Json, cancellationToken) is null;
        await documents.WriteAsync(key, definition.Source, WorkflowCheckpoint.Json, cancellationToken);
        return (definition, created);
    }

    public async Task<JsonObject?> GetAsync(string name, CancellationToken cancellationToken) =>
        KeyOf(name) is { } key ? await documents.ReadAsync<JsonObject>(key, WorkflowCheckpoint.Json, cancellationToken) : null;

    public async Task<List<JsonObject>> ListAsync(CancellationToken cancellationToken)
    {
        var definitions = new List<JsonObject>();
        foreach (var key in await documents.ListAsync(Folder, cancellationToken))
        {
            if (await documents.ReadAsync<JsonObject>(key, WorkflowCheckpoint.Json, cancellationToken) is { } definition) definitions.Add(definition);
        }
        return definitions;
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        KeyOf(name) is { } key && await documents.DeleteAsync(key, cancellationToken);

    /// <summary>The object key of a workflow name; null for a name no workflow can have.</summary>
    private static Storage.Objects.ObjectKey? KeyOf(string name) => WorkflowParser.IsValidName(name) ? ReservedDocuments.Key($"{Folder}{name}.json") : null;
}
