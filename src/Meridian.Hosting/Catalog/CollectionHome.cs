using Meridian.Storage;

namespace Meridian.Hosting.Catalog;

/// <summary>
/// The store where collections created through the API live: PostGIS when the process has one, otherwise the
/// embedded store, as for <c>meridian ingest</c>. The composition root registers it.
/// </summary>
public sealed record CollectionHome(IWritableFeatureStore Store);
