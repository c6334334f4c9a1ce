using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Switchboard.Bench;

/// W5: concurrent HTTP/1.1 keep-alive clients each sending `GET /v1/queues/{name}` with a bearer token, one request
/// after another, for a fixed time. The load generator is `wrk` when it is installed (a C event loop, a fraction of
/// the CPU per request), else this process (SocketsHttpHandler). Either way its CPU competes with the server's on the
/// same cores and is reported beside the result.
internal static class RestReadRunner
{
    // wrk's own summary, machine-readable: requests, microseconds, failed requests, then p50, p99, p99.9 in microseconds.
    private const string WrkScript = """
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("SWITCHBOARD-W5 %d %d %d %d %d %d\n", summary.requests, summary.duration,
            e.connect + e.read + e.write + e.status + e.timeout,
            latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
        end
        """;

    /// The load generator W5 uses on this machine: "wrk" or "dotnet".
    public static string Generator(BenchSettings settings) =>
        settings.RestGenerator ?? (FindWrk() is null ? "dotnet" : "wrk");

    public static async Task<RunResult?> RunAsync(SwitchboardServer server, BenchSettings settings, TimeSpan duration, string label, CancellationToken cancellationToken)
    {
        var clients = settings.RestClients;
        var queue = $"bench-w5-{Guid.NewGuid().ToString("N")[..8]}";
        string token;
        using (var client = server.CreateClient())
        {
            token = (await client.LoginAsync("admin", SwitchboardServer.Password, cancellationToken)).AccessToken;
            await client.CreateQueueAsync(queue, new Client.QueueOptions(), cancellationToken);
        }
        if (Generator(settings) == "wrk")
        {
            var wrk = FindWrk() ?? throw new InvalidOperationException("--rest-generator wrk: wrk is not installed; run bench/peers.sh install.");
            return await RunWrkAsync(wrk, server, clients, duration, new Uri(server.Address, $"v1/queues/{queue}"), token, label, cancellationToken);
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

    private static async Task<RunResult?> RunWrkAsync(string wrk, SwitchboardServer server, int clients, TimeSpan duration, Uri url, string token,
        string label, CancellationToken cancellationToken)
    {
        var script = Path.Combine(Path.GetTempPath(), $"switchboard-w5-{Environment.ProcessId}.lua");
        await File.WriteAllTextAsync(script, WrkScript, cancellationToken);
        var start = new ProcessStartInfo(wrk)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "-t", Math.Min(Environment.ProcessorCount, clients).ToString(CultureInfo.InvariantCulture),
            "-c", clients.ToString(CultureInfo.InvariantCulture),
            "-d", $"{Math.Max(1, (int)Math.Round(duration.TotalSeconds))}s",
            // wrk's default 2 s timeout would count a slow answer as an error; it is latency, and shows as such.
            "--timeout", "30s",
            "-H", $"Authorization: Bearer {token}",
            "-s", script, url.ToString(),
        })
        {
            start.ArgumentList.Add(argument);
        }
        var serverBefore = server.Cpu.Seconds();
        var childrenBefore = CpuProbe.ChildrenOfSelf.Seconds() ?? 0;
        var runnerBefore = CpuProbe.Self.Seconds() ?? 0;
        using var progress = new ProgressLine(label + " (wrk)", null, Stopwatch.GetTimestamp());
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{wrk} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var serverAfter = server.Cpu.Seconds();
        // wrk has exited and been waited for, so its CPU is in this process's children's total.
        var runnerCpu = (CpuProbe.Self.Seconds() ?? 0) - runnerBefore + (CpuProbe.ChildrenOfSelf.Seconds() ?? 0) - childrenBefore;
        File.Delete(script);
        var summary = (await output).Split('\n').FirstOrDefault(l => l.StartsWith("SWITCHBOARD-W5 ", StringComparison.Ordinal))?.Split(' ');
        if (process.ExitCode != 0 || summary is not { Length: 7 })
        {
            progress.Finish($"FAILED (wrk exited {process.ExitCode}: {(await errors).Trim()} {(await output).Trim()})");
            return null;
        }
        var numbers = summary[1..].Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        var (requests, micros, failed) = (numbers[0], numbers[1], numbers[2]);
        if (failed > 0)
        {
            progress.Finish($"FAILED ({failed} of {requests} requests failed or answered an error status)");
            return null;
        }
        var seconds = micros / 1e6;
        var result = new RunResult(requests / seconds, seconds, requests, numbers[3] / 1000.0, numbers[4] / 1000.0, numbers[5] / 1000.0,
            serverAfter - serverBefore, runnerCpu);
        progress.Finish($"{result.Rate:F0} req/s, p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms, server CPU {result.ServerCpuPercent:F0} %, wrk + runner CPU {result.RunnerCpuPercent:F0} %");
        return result;
    }

    private static string? FindWrk() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "wrk"))
            .FirstOrDefault(File.Exists);

    private static async Task GetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET /{path} answered {(int)response.StatusCode}", null, response.StatusCode);
        }
    }
}
