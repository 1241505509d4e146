using Meridian.Storage.GeoPackage;
using Meridian.Storage.Tests.PostGis;
using Meridian.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Storage.Tests.Tiles;

public sealed class GeoPackageVectorTileSourceContractTests(TempDirectory directory)
    : VectorTileSourceContract(new GeoPackageDirectoryStore(directory.Path, NullLogger.Instance)), IClassFixture<TempDirectory>;

public sealed class PostGisVectorTileSourceContractTests(PostGisStoreFixture fixture)
    : VectorTileSourceContract(fixture.Store), IClassFixture<PostGisStoreFixture>;
