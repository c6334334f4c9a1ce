using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Switchboard.Bench;

/// W5: concurrent HTTP/1.1 keep-alive clients each sending `GET /v1/queues/{name}` with a bearer token, one request
/// after another, for a fixed time. The load generator is this process (SocketsHttpHandler), so its CPU competes with
/// the server's on the same cores and is reported beside the result.
internal static class RestReadRunner
{
    public static async Task<RunResult?> RunAsync(SwitchboardServer server, int clients, TimeSpan duration, string label, CancellationToken cancellationToken)
    {
        var queue = $"bench-w5-{Guid.NewGuid().ToString("N")[..8]}";
        string token;
        using (var client = server.CreateClient())
        {
            token = (await client.LoginAsync("admin", SwitchboardServer.Password, cancellationToken)).AccessToken;
            await client.CreateQueueAsync(queue, new Client.QueueOptions(), cancellationToken);
        }
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
        };
        using var http = new HttpClient(handler)
        {
            BaseAddress = server.Address,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var path = $"v1/queues/{queue}";
        // Open every connection before the clock starts, so the run measures requests and not TCP handshakes.
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => GetAsync(http, path, cancellationToken)));

        var counters = new Counters(0);
        var latencies = new Latencies();
        var serverBefore = server.Cpu.Seconds();
        var runnerBefore = CpuProbe.Self.Seconds() ?? 0;
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        using var progress = new ProgressLine(label, counters, start);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
            {
                var own = new List<long>(4096);
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    var sent = Stopwatch.GetTimestamp();
                    await GetAsync(http, path, cancellationToken);
                    own.Add(Stopwatch.GetTimestamp() - sent);
                    counters.AddAcked(1);
                }
                latencies.AddRange(own);
            }, CancellationToken.None)));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            progress.Finish($"FAILED ({e.GetType().Name}: {e.Message})");
            return null;
        }
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var serverAfter = server.Cpu.Seconds();
        var runnerAfter = CpuProbe.Self.Seconds() ?? 0;
        var count = latencies.Count;
        var result = new RunResult(count / seconds, seconds, count, latencies.Percentile(0.50), latencies.Percentile(0.99), latencies.Percentile(0.999),
            serverAfter - serverBefore, runnerAfter - runnerBefore);
        progress.Finish($"{result.Rate:F0} req/s, p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms, server CPU {result.ServerCpuPercent:F0} %, runner CPU {result.RunnerCpuPercent:F0} %");
        return result;
    }

    private static async Task GetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET /{path} answered {(int)response.StatusCode}", null, response.StatusCode);
        }
    }
}
