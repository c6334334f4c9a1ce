using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Switchboard.EndToEnd.Tests.Monitoring;

/// <summary>
/// A loopback HTTP endpoint that answers every request with <see cref="Status"/> and records each request body with its
/// <c>Idempotency-Key</c>: the monitored upstream (200 or 503) and the webhook provider the server notifies, which,
/// like a provider honouring idempotency keys, counts a repeated key as the same message.
/// </summary>
internal sealed class RecordingEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    private RecordingEndpoint(int port)
    {
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri Url { get; }

    public volatile int Status = 200;

    public ConcurrentQueue<(string? Key, string Body)> Requests { get; } = new();

    public IEnumerable<string> Bodies => Requests.Select(r => r.Body);

    public static RecordingEndpoint Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new RecordingEndpoint(port);
    }

    /// <summary>Messages containing <paramref name="text"/>: requests with the same idempotency key count once.</summary>
    public int Count(string text) =>
        Requests.Where(r => r.Body.Contains(text, StringComparison.Ordinal)).Select(r => r.Key ?? Guid.NewGuid().ToString()).Distinct().Count();

    /// <summary>Every request containing <paramref name="text"/>, repeats included.</summary>
    public int Requested(string text) => Bodies.Count(b => b.Contains(text, StringComparison.Ordinal));

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                Requests.Enqueue((context.Request.Headers["Idempotency-Key"], await reader.ReadToEndAsync()));
            }
            var body = Encoding.UTF8.GetBytes(Status == 200 ? """{"status":"ok","id":"x"}""" : """{"status":"down"}""");
            context.Response.StatusCode = Status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.ConfigureAwait(false);
    }
}
