using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.EndToEnd.Tests.Reliability;

/// <summary>
/// A webhook receiver on loopback that records every call (its <c>Idempotency-Key</c>, the delivery id, and when it
/// came) and answers 200 at once. It does not deduplicate, so the checker sees every send the server made.
/// </summary>
internal sealed class FakeWebhookProvider : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly Func<double> _now;

    public FakeWebhookProvider(Func<double> now)
    {
        _now = now;
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/hook";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public string Url { get; }

    /// <summary>Each call's time, by the idempotency key it carried.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<double>> Calls { get; } = new();

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var key = context.Request.Headers["Idempotency-Key"] ?? "(none)";
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                await reader.ReadToEndAsync();
            }
            Calls.GetOrAdd(key, _ => new ConcurrentQueue<double>()).Enqueue(_now());
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync("{}"u8.ToArray());
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
