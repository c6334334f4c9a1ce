using Switchboard.Errors;

namespace Switchboard.Server.Kv;

/// <summary>Reads a key's value from the request body as bytes, refusing more than the limit before buffering it.</summary>
internal static class KvValueReader
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared)
        {
            if (declared > limit)
            {
                throw TooLarge(limit);
            }
            var value = new byte[declared];
            await request.Body.ReadExactlyAsync(value, cancellationToken).ConfigureAwait(false);
            return value;
        }

        // Chunked: read at most one byte past the limit to learn whether it was exceeded.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static SwitchboardException TooLarge(int limit)
    {
        var ex = new SwitchboardException(ErrorCodes.PayloadTooLarge, $"A value is at most {limit} bytes (Kv:MaxValueBytes).");
        ex.Extensions["maxValueBytes"] = limit;
        return ex;
    }
}
