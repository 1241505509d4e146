using System.IO.Pipelines;
using Meridian.Composition;
using Meridian.Hosting.Configuration;
using Meridian.Storage.Objects;

namespace Meridian.Backup;

/// <summary>
/// Where an archive is written or read: a local file, or an object in an S3 bucket (<c>s3://BUCKET/KEY</c>, reached with
/// the Objects:S3 settings: endpoint, region, credentials; the bucket may be another than the data's). A location that
/// ends with '/' is a folder, to which a backup adds a name with the time (<c>meridian-backup-20260301T020000Z.zip</c>).
/// </summary>
internal abstract record BackupLocation
{
    private const string S3Scheme = "s3://";

    /// <summary>Parses a location; <paramref name="now"/>, when given, names the archive a folder location gets (a backup's).</summary>
    public static BackupLocation Parse(string text, DateTimeOffset? now = null)
    {
        var name = now is { } time ? $"meridian-backup-{time.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.zip" : "";
        if (!text.StartsWith(S3Scheme, StringComparison.OrdinalIgnoreCase))
        {
            var path = name.Length > 0 && (text.EndsWith('/') || Directory.Exists(text)) ? Path.Combine(text, name) : text;
            return new FileLocation(Path.GetFullPath(path));
        }
        var rest = text[S3Scheme.Length..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        var key = slash < 0 ? "" : rest[(slash + 1)..];
        if (key.Length == 0 || key.EndsWith('/')) key += name;
        var error = "";
        if (bucket.Length == 0 || !ObjectKey.TryParse(key, out var objectKey, out error))
            throw new OptionsException([$"'{text}': expected s3://BUCKET/KEY (or s3://BUCKET/FOLDER/){(error.Length == 0 ? "" : ": " + error)}"]);
        return new S3Location(bucket, objectKey);
    }

    /// <summary>Writes an archive there, never leaving a partial one under its name: the write goes to a temporary name (a
    /// file) or an upload in parts (S3) that is only completed, or aborted, once the archive is whole.</summary>
    public abstract Task WriteAsync(MeridianOptions options, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken);

    /// <summary>A local file with the archive: the file itself, or a temporary copy of the object that <paramref name="read"/> may use until it returns.</summary>
    public abstract Task<T> ReadAsync<T>(MeridianOptions options, Func<string, Task<T>> read, CancellationToken cancellationToken);

    public sealed record FileLocation(string Path) : BackupLocation
    {
        public override string ToString() => Path;

        public override async Task WriteAsync(MeridianOptions options, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
        {
            if (File.Exists(Path)) throw new IOException($"{Path} exists; name another file, or a folder to put a dated archive in");
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var partial = $"{Path}.partial-{Guid.NewGuid():N}";
            try
            {
                // Owner-only from the start: an archive holds key hashes and webhook signing secrets.
                var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
                if (!OperatingSystem.IsWindows()) file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                await using (var stream = new FileStream(partial, file))
                {
                    await write(stream, cancellationToken);
                    await stream.FlushAsync(cancellationToken);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(partial, Path, overwrite: false);
            }
            finally
            {
                File.Delete(partial);
            }
        }

        public override Task<T> ReadAsync<T>(MeridianOptions options, Func<string, Task<T>> read, CancellationToken cancellationToken) =>
            File.Exists(Path) ? read(Path) : throw new FileNotFoundException($"{Path} does not exist");
    }

    public sealed record S3Location(string Bucket, ObjectKey Key) : BackupLocation
    {
        public override string ToString() => $"{S3Scheme}{Bucket}/{Key}";

        public override async Task WriteAsync(MeridianOptions options, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
        {
            using var store = ObjectStores.S3(options, Bucket);
            if (await store.GetInfoAsync(Key, cancellationToken) is not null)
                throw new IOException($"{this} exists; name another key, or a folder (ending in '/') to put a dated archive in");
            // The zip streams into the upload through a pipe; memory stays at the pipe's and one part's size.
            var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 8 << 20, resumeWriterThreshold: 4 << 20));
            using var uploadFailed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var upload = Task.Run(async () =>
            {
                try
                {
                    await using var content = pipe.Reader.AsStream();
                    await store.PutAsync(Key, content, uploadFailed.Token);
                }
                catch
                {
                    await uploadFailed.CancelAsync();
                    throw;
                }
            }, CancellationToken.None);
            try
            {
                // Not disposed: that would end the upload as if the archive were whole.
                var archive = pipe.Writer.AsStream(leaveOpen: true);
                await write(archive, uploadFailed.Token);
                await archive.FlushAsync(uploadFailed.Token);
            }
            catch (Exception e)
            {
                // The upload reads the error and aborts: S3 keeps nothing of it.
                await pipe.Writer.CompleteAsync(e);
                var uploadError = await FailureOf(upload);
                // A writer cancelled because the upload failed reports the upload's failure, the cause.
                if (uploadError is not null && e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(uploadError);
                throw;
            }
            await pipe.Writer.CompleteAsync();
            await upload;
        }

        private static async Task<Exception?> FailureOf(Task task)
        {
            try
            {
                await task;
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        }

        public override async Task<T> ReadAsync<T>(MeridianOptions options, Func<string, Task<T>> read, CancellationToken cancellationToken)
        {
            using var store = ObjectStores.S3(options, Bucket);
            var copy = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"meridian-restore-{Guid.NewGuid():N}.zip");
            try
            {
                // A zip is read from its end (the central directory), and a restore reads it twice: a local copy.
                await using (var source = await store.OpenReadAsync(Key, cancellationToken))
                await using (var target = new FileStream(copy, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
                    await source.CopyToAsync(target, cancellationToken);
                return await read(copy);
            }
            catch (ObjectNotFoundException)
            {
                throw new FileNotFoundException($"{this} does not exist");
            }
            finally
            {
                File.Delete(copy);
            }
        }
    }
}
