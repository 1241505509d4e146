namespace Meridian.Hosting.Modules;

/// <summary>
/// What a module adds to the shared OGC API resources that another module serves — the conformance
/// declaration, the landing page and every collection's description — so that, for instance, the tiles role
/// shows up there without the features role knowing it. Register one as a singleton.
/// </summary>
public sealed record ApiContribution
{
    public IReadOnlyList<string> ConformanceClasses { get; init; } = [];

    public IReadOnlyList<ApiLink> LandingLinks { get; init; } = [];

    /// <summary>Links of every collection; <see cref="CollectionIdToken"/> in a path stands for the escaped collection id.</summary>
    public IReadOnlyList<ApiLink> CollectionLinks { get; init; } = [];

    /// <summary>
    /// The module's OpenAPI 3.0 path items by path (e.g. "/processes"), merged into <c>/api</c>; built on each call,
    /// since the document is mutable JSON.
    /// </summary>
    public Func<System.Text.Json.Nodes.JsonObject>? OpenApiPaths { get; init; }

    public const string CollectionIdToken = "{collectionId}";
}

/// <summary>A link relative to the API's base URL.</summary>
public sealed record ApiLink(string Path, string Rel, string Type, string Title);
