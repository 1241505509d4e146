using Meridian.Hosting.Catalog;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Processing.Tests.Workflows;

/// <summary>A catalog without tenancy (no owners, no stores), for handlers built by hand: its steps see everything, as before tenants.</summary>
internal static class NoTenants
{
    public static CollectionCatalog Catalog { get; } = new([], NullLogger<CollectionCatalog>.Instance);
}
