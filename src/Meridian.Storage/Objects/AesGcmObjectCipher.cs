using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Meridian.Storage.Objects;

/// <summary>
/// At-rest encryption for the local object store: AES-256-GCM over 64 KiB chunks, so that objects of any size
/// stream through a fixed buffer. Layout: an 8-byte magic, an 8-byte random prefix, then per chunk the ciphertext
/// and its 16-byte tag. A chunk's nonce is the prefix plus its index, and the last chunk is authenticated as the
/// last, so reordered, altered or truncated files fail to decrypt instead of yielding wrong data.
/// </summary>
public sealed class AesGcmObjectCipher
{
    public const int KeySize = 32;
    internal const int ChunkSize = 64 * 1024;
    internal const int TagSize = 16;
    internal const int HeaderSize = 16;
    private static readonly byte[] Magic = "MRDNAES1"u8.ToArray();

    private readonly byte[] _key;

    public AesGcmObjectCipher(byte[] key)
    {
        if (key.Length != KeySize) throw new ArgumentException($"An object encryption key is {KeySize} bytes, not {key.Length}.", nameof(key));
        _key = key.ToArray();
    }

    /// <summary>Reads a key file: 32 raw bytes, or those bytes in base64 (what <c>openssl rand -base64 32</c> writes).</summary>
    public static AesGcmObjectCipher FromKeyFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == KeySize) return new AesGcmObjectCipher(bytes);
        try
        {
            return new AesGcmObjectCipher(Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(bytes).Trim()));
        }
        catch (FormatException)
        {
            throw new ArgumentException($"The key file {path} holds neither {KeySize} bytes nor their base64 text.");
        }
    }

    /// <summary>The plaintext length of an encrypted object of this many bytes.</summary>
    public static long PlaintextLength(long encryptedLength)
    {
        var body = Math.Max(0, encryptedLength - HeaderSize);
        var chunks = (body + ChunkSize + TagSize - 1) / (ChunkSize + TagSize);
        return Math.Max(0, body - chunks * TagSize);
    }

    public async Task EncryptAsync(Stream plaintext, Stream destination, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        RandomNumberGenerator.Fill(header.AsSpan(8));
        await destination.WriteAsync(header, cancellationToken);

        using var aes = new AesGcm(_key, TagSize);
        var current = new byte[ChunkSize];
        var next = new byte[ChunkSize];
        var output = new byte[ChunkSize + TagSize];
        var currentLength = await plaintext.ReadAtLeastAsync(current, ChunkSize, throwOnEndOfStream: false, cancellationToken);
        for (uint index = 0; ; index++)
        {
            // Reading ahead tells whether this chunk is the last, which its authentication covers.
            var nextLength = currentLength < ChunkSize ? 0 : await plaintext.ReadAtLeastAsync(next, ChunkSize, throwOnEndOfStream: false, cancellationToken);
            var final = nextLength == 0;
            aes.Encrypt(Nonce(header, index), current.AsSpan(0, currentLength), output.AsSpan(0, currentLength),
                output.AsSpan(currentLength, TagSize), Associated(final));
            await destination.WriteAsync(output.AsMemory(0, currentLength + TagSize), cancellationToken);
            if (final) return;
            (current, next) = (next, current);
            currentLength = nextLength;
        }
    }

    /// <summary>A read-only stream of the plaintext of a seekable encrypted source, which it owns.</summary>
    public Stream OpenDecrypting(Stream encrypted, string name) => new DecryptingStream(this, encrypted, name);

    private static byte[] Nonce(ReadOnlySpan<byte> header, uint index)
    {
        var nonce = new byte[12];
        header.Slice(8, 8).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce.AsSpan(8), index);
        return nonce;
    }

    private static byte[] Associated(bool final) => [final ? (byte)1 : (byte)0];

    private sealed class DecryptingStream(AesGcmObjectCipher cipher, Stream source, string name) : Stream
    {
        private readonly AesGcm _aes = new(cipher._key, TagSize);
        private readonly byte[] _record = new byte[ChunkSize + TagSize];
        private readonly byte[] _plain = new byte[ChunkSize];
        private byte[]? _header;
        private uint _index;
        private int _plainOffset;
        private int _plainLength;
        private bool _done;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_plainOffset == _plainLength)
            {
                if (_done) return 0;
                NextChunk();
            }
            var n = Math.Min(buffer.Length, _plainLength - _plainOffset);
            _plain.AsSpan(_plainOffset, n).CopyTo(buffer);
            _plainOffset += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        private void NextChunk()
        {
            if (_header is null)
            {
                _header = new byte[HeaderSize];
                if (source.ReadAtLeast(_header, HeaderSize, throwOnEndOfStream: false) < HeaderSize || !_header.AsSpan(0, 8).SequenceEqual(Magic))
                    throw Corrupt();
            }
            var length = source.ReadAtLeast(_record, _record.Length, throwOnEndOfStream: false);
            if (length < TagSize) throw Corrupt();
            var final = source.Position == source.Length;
            var plainLength = length - TagSize;
            try
            {
                _aes.Decrypt(Nonce(_header, _index++), _record.AsSpan(0, plainLength), _record.AsSpan(plainLength, TagSize),
                    _plain.AsSpan(0, plainLength), Associated(final));
            }
            catch (AuthenticationTagMismatchException)
            {
                throw Corrupt();
            }
            _plainOffset = 0;
            _plainLength = plainLength;
            _done = final;
        }

        private InvalidDataException Corrupt() =>
            new($"The object {name} is damaged or was encrypted with another key.");

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _aes.Dispose();
                source.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
