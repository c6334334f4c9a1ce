using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Tests.Contract;

namespace Switchboard.Server.Tests.Infrastructure;

/// <summary>
/// Checks, inside the test server, every response it sends against its own OpenAPI document, whichever client
/// asked (the SDK, SignalR's negotiate, a JavaScript client, a browser). Clients from
/// <see cref="RunningServer.CreateClient"/> check their responses themselves and fail at the call; the rest are
/// collected here and fail the test when it disposes the server.
/// </summary>
internal sealed class ContractCheck(Func<Task<ApiContract>> contract) : IStartupFilter
{
    private const int MaxCapturedBytes = 8 * 1024 * 1024;

    public ConcurrentQueue<string> Violations { get; } = new();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(CheckAsync);
        next(app);
    };

    private async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        // The document itself is not checked: its fetch is what the check waits for.
        if (context.WebSockets.IsWebSocketRequest || context.Request.Headers.ContainsKey(ContractCheckingHandler.CheckedHeader)
            || context.Request.Path.StartsWithSegments("/openapi"))
        {
            await next(context);
            return;
        }
        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        var tee = new CapturingStream(original.Stream, MaxCapturedBytes);
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(tee, original));
        try
        {
            await next(context);
            await context.Response.BodyWriter.FlushAsync();
        }
        finally
        {
            context.Features.Set(original);
        }
        var contentType = context.Response.ContentType;
        var json = contentType is not null && ApiContract.IsJson(Microsoft.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType).MediaType.Value!);
        if (json && tee.Overflowed)
        {
            return;
        }
        byte[] body = json ? tee.Captured : tee.Written > 0 ? [0] : [];
        var violations = (await contract()).Check(context.Request.Method, context.Request.Path.Value ?? "/", context.Response.StatusCode, contentType, body);
        foreach (var violation in violations)
        {
            Violations.Enqueue(violation);
        }
    }

    /// <summary>Writes through to the response and keeps a copy of the first bytes.</summary>
    private sealed class CapturingStream(Stream inner, int limit) : Stream
    {
        private readonly MemoryStream _copy = new();

        public long Written { get; private set; }

        public bool Overflowed { get; private set; }

        public byte[] Captured => _copy.ToArray();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            Written += bytes.Length;
            if (Overflowed || _copy.Length + bytes.Length > limit)
            {
                Overflowed = true;
                return;
            }
            _copy.Write(bytes);
        }
    }
}
