using Microsoft.Extensions.Options;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.Observability;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Switchboard.Gateway.Routing;

/// <summary>
/// Tries a request again on another destination when the one chosen could not be reached, but only when that is
/// safe: the method is idempotent or the client sent <c>Idempotency-Key</c>, no byte of the request body was read
/// for the failed attempt, and nothing of the response was sent to the client. Runs before YARP's affinity and load
/// balancing so every attempt picks again, among the destinations not tried yet.
/// </summary>
internal sealed class RetryOnOtherDestination(RequestDelegate next, IOptions<GatewayOptions> options, GatewayMetrics metrics)
{
    private readonly int _maxAttempts = options.Value.MaxAttempts;

    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        if (_maxAttempts < 2 || !MayRetry(context.Request))
        {
            await next(context);
            return;
        }
        WatchedBody? body = null;
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            body = new WatchedBody(context.Request.Body);
            context.Request.Body = body;
        }
        var candidates = proxy.AvailableDestinations;
        var tried = new HashSet<DestinationState>();
        for (var attempt = 1; ; attempt++)
        {
            await next(context);
            var error = context.Features.Get<IForwarderErrorFeature>();
            if (error is null || error.Error is not (ForwarderError.Request or ForwarderError.RequestTimedOut)
                || attempt >= _maxAttempts || context.Response.HasStarted || body?.Touched == true || proxy.ProxiedDestination is not { } failed)
            {
                return;
            }
            tried.Add(failed);
            var remaining = candidates.Where(d => !tried.Contains(d)).ToList();
            if (remaining.Count == 0)
            {
                return;
            }
            proxy.AvailableDestinations = remaining;
            proxy.ProxiedDestination = null;
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Headers.Clear();
            context.Response.StatusCode = StatusCodes.Status200OK;
            metrics.Retried(proxy.Route.Config.RouteId);
        }
    }

    private static bool MayRetry(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
        || HttpMethods.IsPut(request.Method) || HttpMethods.IsDelete(request.Method) || HttpMethods.IsTrace(request.Method)
        || request.Headers.ContainsKey("Idempotency-Key");

    /// <summary>The request body, noting whether anything read from it: once read, it cannot be sent again.</summary>
    private sealed class WatchedBody(Stream inner) : Stream
    {
        public bool Touched { get; private set; }

        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Touched = true;
            return inner.Read(buffer, offset, count);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Touched = true;
            return inner.ReadAsync(buffer, cancellationToken);
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
}
