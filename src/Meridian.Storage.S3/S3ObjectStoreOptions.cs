namespace Meridian.Storage.S3;

/// <summary>How to reach a bucket: AWS S3 by region, or any S3-compatible server by URL.</summary>
public sealed record S3ObjectStoreOptions
{
    public required string Bucket { get; init; }

    /// <summary>Prepended to every key, so that several deployments can share a bucket (e.g. "meridian/").</summary>
    public string Prefix { get; init; } = "";

    /// <summary>An S3-compatible endpoint (MinIO, s3rver…); null means AWS S3 in <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; init; }

    public string Region { get; init; } = "us-east-1";

    /// <summary>Null uses the AWS SDK's default chain (environment, profile, instance role).</summary>
    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    /// <summary>Path-style addressing (http://host/bucket/key), which most S3-compatible servers need.</summary>
    public bool ForcePathStyle { get; init; } = true;

    /// <summary>
    /// Send and check payload checksums only when an operation requires them. Recent AWS SDKs add CRC checksums
    /// to every upload by default, which some S3-compatible servers reject; AWS S3 accepts either.
    /// </summary>
    public bool ChecksumsOnlyWhenRequired { get; init; } = true;

    /// <summary>Server-side encryption: null (the bucket's default), "AES256" or "aws:kms".</summary>
    public string? ServerSideEncryption { get; init; }

    /// <summary>The KMS key for "aws:kms"; null uses the account's default key.</summary>
    public string? KmsKeyId { get; init; }

    /// <summary>Parts of this size carry uploads of unknown length; memory use per upload is one part.</summary>
    public int PartSize { get; init; } = 8 * 1024 * 1024;
}
