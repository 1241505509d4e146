using Meridian.Storage.GeoPackage;
using Microsoft.Extensions.Logging.Abstractions;
using Meridian.Testing;

namespace Meridian.Storage.Tests.GeoPackage;

public sealed class GeoPackageDirectoryStoreContractTests(TempDirectory directory)
    : FeatureStoreContract(new GeoPackageDirectoryStore(directory.Path, NullLogger.Instance)), IClassFixture<TempDirectory>;
