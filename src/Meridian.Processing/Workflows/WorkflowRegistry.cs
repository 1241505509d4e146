using System.Text.Json.Nodes;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Problems;
using Meridian.Processing.Processes;
using Microsoft.AspNetCore.Http;

namespace Meridian.Processing.Workflows;

/// <summary>
/// Registered workflow definitions, one reserved object each (<c>.meridian/workflows/definitions/NAME.json</c>), so
/// every replica sees the same workflows in both deployment modes. Definitions are checked against the processes of
/// this server when registered.
/// With tenants, a definition belongs to the tenant that registered it, as a collection does (its owner is kept beside
/// it, in <c>workflows/owners/NAME.json</c>; none: public): a caller sees, starts, replaces and deletes its tenant's and
/// the public ones (an admin all), another tenant's does not exist for it, and names stay unique across tenants. Steps
/// run as whoever starts the execution, so another tenant's definition would grant nothing; but a tenant that could
/// replace one could make its owner's next execution load, replace or export the owner's collections as it likes.
/// </summary>
public sealed class WorkflowRegistry(ReservedDocuments documents, IEnumerable<IProcess> processes, CollectionCatalog catalog)
{
    /// <summary>Where definitions are kept in the reserved area, one <c>NAME.json</c> each (a backup copies them).</summary>
    public const string Folder = "workflows/definitions/";

    /// <summary>Where the owner of a tenant's definition is kept, one <c>NAME.json</c> each.</summary>
    public const string OwnerFolder = "workflows/owners/";

    private readonly HashSet<string> _processIds = processes.Select(p => p.Description.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Checks and stores a definition, replacing one of the same name the caller sees (its owner stays); true when the
    /// name is new, which then belongs to the caller's tenant. Another tenant's name is a 409 problem.
    /// </summary>
    public async Task<(WorkflowDefinition Definition, bool Created)> RegisterAsync(JsonNode? json, CancellationToken cancellationToken)
    {
        var definition = WorkflowParser.Parse(json, _processIds);
        var key = KeyOf(definition.Name)!.Value;
        var created = await documents.ReadAsync<JsonObject>(key, WorkflowCheckpoint.Json, cancellationToken) is null;
        if (created)
        {
            // The owner first: a definition is never briefly public on its way to being a tenant's.
            await SetOwnerAsync(definition.Name, catalog.OwnerTenant(), cancellationToken);
        }
        else if (!Sees(await OwnerAsync(definition.Name, cancellationToken)))
        {
            throw new ProblemException(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Conflict",
                $"A workflow '{definition.Name}' exists; choose another name.");
        }
        await documents.WriteAsync(key, definition.Source, WorkflowCheckpoint.Json, cancellationToken);
        return (definition, created);
    }

    /// <summary>The definition as registered, if the caller sees it.</summary>
    public async Task<JsonObject?> GetAsync(string name, CancellationToken cancellationToken) =>
        KeyOf(name) is { } key && Sees(await OwnerAsync(name, cancellationToken))
            ? await documents.ReadAsync<JsonObject>(key, WorkflowCheckpoint.Json, cancellationToken)
            : null;

    /// <summary>The definitions the caller sees.</summary>
    public async Task<List<JsonObject>> ListAsync(CancellationToken cancellationToken)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in await documents.ListAsync(OwnerFolder, cancellationToken))
        {
            if (await documents.ReadAsync<WorkflowOwner>(key, WorkflowCheckpoint.Json, cancellationToken) is { } owner) owners[NameOf(key)] = owner.Tenant;
        }
        var definitions = new List<JsonObject>();
        foreach (var key in await documents.ListAsync(Folder, cancellationToken))
        {
            if (!Sees(owners.GetValueOrDefault(NameOf(key)))) continue;
            if (await documents.ReadAsync<JsonObject>(key, WorkflowCheckpoint.Json, cancellationToken) is { } definition) definitions.Add(definition);
        }
        return definitions;
    }

    /// <summary>Deletes a definition the caller sees; false when there is none (or it is another tenant's).</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        if (KeyOf(name) is not { } key || !Sees(await OwnerAsync(name, cancellationToken)) || !await documents.DeleteAsync(key, cancellationToken)) return false;
        await documents.DeleteAsync(OwnerKey(name), cancellationToken);
        return true;
    }

    private bool Sees(string? owner) => catalog.JobVisibility()?.Sees(owner) != false;

    private async Task<string?> OwnerAsync(string name, CancellationToken cancellationToken) =>
        (await documents.ReadAsync<WorkflowOwner>(OwnerKey(name), WorkflowCheckpoint.Json, cancellationToken))?.Tenant;

    private async Task SetOwnerAsync(string name, string? tenant, CancellationToken cancellationToken)
    {
        if (tenant is null) await documents.DeleteAsync(OwnerKey(name), cancellationToken);
        else await documents.WriteAsync(OwnerKey(name), new WorkflowOwner(tenant), WorkflowCheckpoint.Json, cancellationToken);
    }

    /// <summary>The object key of a workflow name; null for a name no workflow can have.</summary>
    private static Storage.Objects.ObjectKey? KeyOf(string name) => WorkflowParser.IsValidName(name) ? ReservedDocuments.Key($"{Folder}{name}.json") : null;

    private static Storage.Objects.ObjectKey OwnerKey(string name) => ReservedDocuments.Key($"{OwnerFolder}{name}.json");

    private static string NameOf(Storage.Objects.ObjectKey key) => Path.GetFileNameWithoutExtension(key.Value);

    /// <summary>The tenant a definition belongs to; a definition without one is public.</summary>
    private sealed record WorkflowOwner(string Tenant);
}
