namespace Switchboard.Server.Platform;

/// <summary>
/// Wraps a chunked request body so that going over the limit surfaces as a 413 problem instead of an
/// <see cref="IOException"/> that body binding would swallow.
/// </summary>
internal sealed class LimitedRequestStream(Stream inner, long maxBytes) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(Guard(() => inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        }
        catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw RequestBodyLimit.TooLarge(maxBytes);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Guard(Func<int> read)
    {
        try
        {
            return read();
        }
        catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw RequestBodyLimit.TooLarge(maxBytes);
        }
    }

    private int Count(int read)
    {
        _read += read;
        if (_read > maxBytes)
        {
            throw RequestBodyLimit.TooLarge(maxBytes);
        }
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
