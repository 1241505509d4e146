using Meridian.Storage.Tests.Writing;

namespace Meridian.Storage.Tests.PostGis;

public sealed class PostGisWritableStoreContractTests(PostGisStoreFixture fixture)
    : WritableFeatureStoreContract(fixture.Store), IClassFixture<PostGisStoreFixture>;
