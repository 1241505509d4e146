using Amazon.Runtime;
using Amazon.S3;
using Meridian.Storage.S3;
using Xunit;

namespace Meridian.Testing;

/// <summary>
/// A fresh bucket on the S3-compatible server named by MERIDIAN_TEST_S3 (an http URL; scripts/test.sh starts
/// s3rver, whose fixed credentials are S3RVER/S3RVER), and a store on it under a key prefix.
/// </summary>
public sealed class S3TestBucket : IAsyncLifetime
{
    public const string Variable = "MERIDIAN_TEST_S3";
    public const string Prefix = "meridian/";

    private readonly string _name = "meridian-" + Guid.NewGuid().ToString("N")[..20];

    public S3ObjectStore Store { get; private set; } = null!;

    /// <summary>The bucket's name, for settings and s3:// URLs.</summary>
    public string Name => _name;

    public static S3ObjectStoreOptions Options(string bucket, string prefix = "")
    {
        var url = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(url))
            throw new InvalidOperationException($"{Variable} is not set: run scripts/test.sh, which starts a private S3-compatible server");
        return new S3ObjectStoreOptions
        {
            Bucket = bucket, Prefix = prefix, ServiceUrl = url, AccessKeyId = "S3RVER", SecretAccessKey = "S3RVER",
        };
    }

    public async Task InitializeAsync()
    {
        var options = Options(_name, Prefix);
        using var client = new AmazonS3Client(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey),
            new AmazonS3Config { ServiceURL = options.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = options.Region });
        await client.PutBucketAsync(_name);
        Store = new S3ObjectStore(options);
    }

    public Task DisposeAsync()
    {
        Store.Dispose();
        return Task.CompletedTask;
    }
}
