using System.Security.Cryptography;

namespace Switchboard.Files;

/// <summary>One upload's lock and running hash on this node; see <see cref="UploadSessions"/>.</summary>
internal sealed class UploadSession
{
    private int _busy;

    /// <summary>SHA-256 of the first <see cref="HashedOffset"/> bytes; null when unknown.</summary>
    public IncrementalHash? Hash { get; private set; }

    public long HashedOffset { get; private set; }

    public bool TryEnter() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    public void Exit() => Volatile.Write(ref _busy, 0);

    /// <summary>The running hash at <paramref name="offset"/>, re-hashing the stored prefix when the kept state is elsewhere.</summary>
    public async Task<IncrementalHash> HashAtAsync(Guid id, long offset, IFileContentStore content, CancellationToken cancellationToken)
    {
        if (Hash is not null && HashedOffset == offset)
        {
            return Hash;
        }
        Reset();
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (offset > 0)
        {
            await using var stream = await content.OpenReadAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"The stored content of file {id} is missing though {offset} bytes were recorded.");
            var buffer = new byte[1024 * 1024];
            var left = offset;
            while (left > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    hash.Dispose();
                    throw new InvalidDataException($"The stored content of file {id} ends before its recorded offset {offset}.");
                }
                hash.AppendData(buffer, 0, read);
                left -= read;
            }
        }
        Hash = hash;
        HashedOffset = offset;
        return hash;
    }

    public void Advanced(long offset) => HashedOffset = offset;

    /// <summary>Forgets the hash state (it has seen bytes that were not kept).</summary>
    public void Reset()
    {
        Hash?.Dispose();
        Hash = null;
        HashedOffset = 0;
    }
}
