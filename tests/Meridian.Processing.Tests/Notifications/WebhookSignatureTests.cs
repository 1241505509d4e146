using System.Text;
using Meridian.Processing.Notifications;

namespace Meridian.Processing.Tests.Notifications;

public sealed class WebhookSignatureTests
{
    private const string Secret = "a-secret-of-some-length";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"1","topic":"job.failed"}""");

    [Fact]
    public void Create_IsHmacSha256OfTimestampDotBody()
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret),
            Encoding.UTF8.GetBytes("1700000000." + Encoding.UTF8.GetString(Body))));

        Assert.Equal($"t=1700000000,v1={expected}", WebhookSignature.Create(Secret, time, Body));
    }

    [Fact]
    public void Verify_AcceptsTheSignature_AndRefusesAnyChange()
    {
        var header = WebhookSignature.Create(Secret, DateTimeOffset.UtcNow, Body);
        var tampered = (byte[])Body.Clone();
        tampered[^2] ^= 1;

        Assert.True(WebhookSignature.Verify(Secret, header, Body));
        Assert.False(WebhookSignature.Verify(Secret, header, tampered));
        Assert.False(WebhookSignature.Verify("another-secret-entirely", header, Body));
        Assert.False(WebhookSignature.Verify(Secret, header.Replace("t=", "t=1", StringComparison.Ordinal), Body));
        Assert.False(WebhookSignature.Verify(Secret, "t=1,v1=zz", Body));
        Assert.False(WebhookSignature.Verify(Secret, "", Body));
    }
}
