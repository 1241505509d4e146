using System.Net;
using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Meridian.Storage.Objects;

namespace Meridian.Storage.S3;

/// <summary>The distributed object store: a bucket of AWS S3 or of any server speaking the S3 API.</summary>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    /// <summary>S3's minimum size of every part of a multipart upload but the last.</summary>
    private const int MinimumPartSize = 5 * 1024 * 1024;

    private readonly IAmazonS3 _client;
    private readonly S3ObjectStoreOptions _options;
    private readonly ServerSideEncryptionMethod? _encryption;

    public S3ObjectStore(S3ObjectStoreOptions options)
    {
        if (options.PartSize < MinimumPartSize)
            throw new ArgumentException($"The S3 part size must be at least {MinimumPartSize} bytes.", nameof(options));
        _options = options;
        _encryption = options.ServerSideEncryption is { } method ? ServerSideEncryptionMethod.FindValue(method) : null;
        _client = CreateClient(options);
    }

    public string Bucket => _options.Bucket;

    public string Name => $"s3:{_options.Bucket}/{_options.Prefix}" + (_options.ServiceUrl is null ? "" : $" at {_options.ServiceUrl}");

    // Every body sent is seekable (a buffer or a spool file), so it is signed whole rather than in aws-chunked
    // framing, which some S3-compatible servers store verbatim instead of decoding.
    public async Task<ObjectInfo> PutAsync(ObjectKey key, Stream content, CancellationToken cancellationToken)
    {
        // One part's worth is read first: a small object goes up in one request, a larger or unknown-length one
        // in parts, so memory stays at one part whatever the size.
        var buffer = new byte[_options.PartSize];
        var length = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (length < buffer.Length)
        {
            var request = new PutObjectRequest
            {
                BucketName = _options.Bucket, Key = S3Key(key), InputStream = new MemoryStream(buffer, 0, length), UseChunkEncoding = false,
                ServerSideEncryptionMethod = _encryption, ServerSideEncryptionKeyManagementServiceKeyId = _options.KmsKeyId,
            };
            await Call(key, () => _client.PutObjectAsync(request, cancellationToken));
        }
        else
        {
            await PutInPartsAsync(key, buffer, content, cancellationToken);
        }
        return await GetInfoAsync(key, cancellationToken) ?? throw new IOException($"S3 lost the object {key} just written.");
    }

    public async Task<Stream> OpenReadAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var response = await Call(key, () => _client.GetObjectAsync(_options.Bucket, S3Key(key), cancellationToken));
        return response.ResponseStream;
    }

    public async Task<ObjectInfo?> GetInfoAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await _client.GetObjectMetadataAsync(_options.Bucket, S3Key(key), cancellationToken);
            return new ObjectInfo(key, metadata.ContentLength, ToOffset(metadata.LastModified));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = _options.Prefix + prefix };
        do
        {
            var response = await _client.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in response.S3Objects ?? [])
            {
                if (ObjectKey.TryParseStored(item.Key[_options.Prefix.Length..], out var key) && key.IsListedUnder(prefix))
                    yield return new ObjectInfo(key, item.Size ?? 0, ToOffset(item.LastModified));
            }
            request.ContinuationToken = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);
    }

    public async Task<bool> DeleteAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        // S3 answers a delete the same whether the object existed or not.
        if (await GetInfoAsync(key, cancellationToken) is null) return false;
        await _client.DeleteObjectAsync(_options.Bucket, S3Key(key), cancellationToken);
        return true;
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) =>
        _client.GetBucketLocationAsync(_options.Bucket, cancellationToken);

    public void Dispose() => _client.Dispose();

    private static AmazonS3Client CreateClient(S3ObjectStoreOptions options)
    {
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle };
        if (options.ServiceUrl is { } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        if (options.ChecksumsOnlyWhenRequired)
        {
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        return options.AccessKeyId is { } id
            ? new AmazonS3Client(new BasicAWSCredentials(id, options.SecretAccessKey), config)
            : new AmazonS3Client(config);
    }

    private async Task PutInPartsAsync(ObjectKey key, byte[] buffer, Stream content, CancellationToken cancellationToken)
    {
        var start = new InitiateMultipartUploadRequest
        {
            BucketName = _options.Bucket, Key = S3Key(key),
            ServerSideEncryptionMethod = _encryption, ServerSideEncryptionKeyManagementServiceKeyId = _options.KmsKeyId,
        };
        var uploadId = (await _client.InitiateMultipartUploadAsync(start, cancellationToken)).UploadId;
        try
        {
            var tags = new List<PartETag>();
            var length = buffer.Length;
            for (var partNumber = 1; length > 0; partNumber++)
            {
                var part = new UploadPartRequest
                {
                    BucketName = _options.Bucket, Key = S3Key(key), UploadId = uploadId, PartNumber = partNumber,
                    InputStream = new MemoryStream(buffer, 0, length), PartSize = length, UseChunkEncoding = false,
                };
                tags.Add(new PartETag(partNumber, (await _client.UploadPartAsync(part, cancellationToken)).ETag));
                length = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            }
            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _options.Bucket, Key = S3Key(key), UploadId = uploadId, PartETags = tags,
            }, cancellationToken);
        }
        catch
        {
            // Left alone, the parts of a failed upload would be billed until a lifecycle rule removed them.
            // Best effort: some S3-compatible servers cannot abort, and the original error matters more.
            try { await _client.AbortMultipartUploadAsync(_options.Bucket, S3Key(key), uploadId, CancellationToken.None); }
            catch (AmazonS3Exception) { }
            throw;
        }
    }


    private string S3Key(ObjectKey key) => _options.Prefix + key.Value;

    private static DateTimeOffset ToOffset(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc)) : DateTimeOffset.MinValue;

    /// <summary>Runs a request, turning S3's "no such key/upload" answers into the port's exception.</summary>
    private async Task<T> Call<T>(ObjectKey key, Func<Task<T>> request)
    {
        try
        {
            return await request();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // S3 answers 404 for a missing bucket too: that is the store misconfigured, not an object missing.
            if (e.ErrorCode == "NoSuchBucket") throw new IOException($"The S3 bucket '{_options.Bucket}' does not exist ({Name}).", e);
            throw new ObjectNotFoundException($"There is no object {key}.");
        }
    }
}
