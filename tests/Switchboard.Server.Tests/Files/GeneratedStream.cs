namespace Switchboard.Server.Tests.Files;

/// <summary>
/// A read-only stream of <see cref="GeneratedContent"/> from <c>start</c> for <c>length</c> bytes. With
/// <c>pauseAfter</c> it stops after that many bytes, signals <see cref="Paused"/> and waits until the request is
/// cancelled: an upload interrupted mid-body.
/// </summary>
internal sealed class GeneratedStream(ulong seed, long start, long length, long? pauseAfter = null) : Stream
{
    private long _position;

    public TaskCompletionSource Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var limit = pauseAfter ?? length;
        var count = (int)Math.Min(buffer.Length, limit - _position);
        if (count <= 0)
        {
            return 0;
        }
        GeneratedContent.Fill(seed, start + _position, buffer[..count]);
        _position += count;
        return count;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (pauseAfter is { } pause && _position >= pause)
        {
            Paused.TrySetResult();
            await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
        }
        return Read(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
