using Meridian.Hosting.Configuration;
using Meridian.Storage.Objects;
using Meridian.Storage.S3;

namespace Meridian.Composition;

/// <summary>The object store the options ask for: an S3 bucket when one is named, else a local directory.</summary>
internal static class ObjectStores
{
    public static IObjectStore Create(MeridianOptions options)
    {
        var s3 = options.Objects.S3;
        if (!string.IsNullOrWhiteSpace(s3.Bucket)) return S3(options, s3.Bucket, s3.Prefix);
        AesGcmObjectCipher? cipher = null;
        if (options.Objects.EncryptionKeyFile is { Length: > 0 } keyFile)
        {
            try
            {
                cipher = AesGcmObjectCipher.FromKeyFile(keyFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new OptionsException([$"Meridian:Objects:EncryptionKeyFile: {e.Message}"]);
            }
        }
        return new LocalObjectStore(options.Objects.Root ?? Path.Combine(options.Data, "objects"), cipher);
    }

    /// <summary>A bucket reached with the Objects:S3 settings (endpoint, region, credentials, encryption): the data's, or another, such as the backups'.</summary>
    public static S3ObjectStore S3(MeridianOptions options, string bucket, string prefix = "")
    {
        var s3 = options.Objects.S3;
        return new S3ObjectStore(new S3ObjectStoreOptions
        {
            Bucket = bucket, Prefix = prefix, ServiceUrl = s3.ServiceUrl, Region = s3.Region,
            AccessKeyId = string.IsNullOrEmpty(s3.AccessKeyId) ? null : s3.AccessKeyId, SecretAccessKey = s3.SecretAccessKey,
            ForcePathStyle = s3.ForcePathStyle, ChecksumsOnlyWhenRequired = s3.ChecksumsOnlyWhenRequired,
            ServerSideEncryption = string.IsNullOrEmpty(s3.ServerSideEncryption) ? null : s3.ServerSideEncryption, KmsKeyId = s3.KmsKeyId,
        });
    }
}
