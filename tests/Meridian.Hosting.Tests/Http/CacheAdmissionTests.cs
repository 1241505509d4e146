using Meridian.Hosting.Http;

namespace Meridian.Hosting.Tests.Http;

public sealed class CacheAdmissionTests
{
    [Fact]
    public void AKey_IsAdmittedTheSecondTimeItIsAskedFor()
    {
        var admission = new CacheAdmission(storeOnFirstRequest: false);

        Assert.False(admission.Admit("tile/5/3/9"));
        Assert.True(admission.Admit("tile/5/3/9"));
        Assert.True(admission.Admit("tile/5/3/9"));
    }

    [Fact]
    public void AnotherKey_IsNotAdmittedBecauseTheFirstWasSeen()
    {
        var admission = new CacheAdmission(storeOnFirstRequest: false);
        admission.Admit("page?bbox=0,0,1,1");

        Assert.False(admission.Admit("page?bbox=0,0,1,2"));
    }

    [Fact]
    public void ManyOneOffKeys_AreNeverAdmitted()
    {
        var admission = new CacheAdmission(storeOnFirstRequest: false);

        Assert.DoesNotContain(Enumerable.Range(0, 100_000), i => admission.Admit($"page?bbox={i}"));
    }

    [Fact]
    public void StoreOnFirstRequest_AdmitsEverything()
    {
        var admission = new CacheAdmission(storeOnFirstRequest: true);

        Assert.True(admission.Admit("tile/5/3/9"));
    }
}
