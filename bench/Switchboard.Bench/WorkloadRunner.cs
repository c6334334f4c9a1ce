using System.Diagnostics;

namespace Switchboard.Bench;

/// Runs one workload once against one target: consumers attach first, then the clock starts with the first publish
/// and stops at the last ack.
internal static class WorkloadRunner
{
    public static async Task<double?> RunAsync(IBenchTarget target, Workload workload, int messages, int run, BenchSettings settings, CancellationToken cancellationToken)
    {
        var queue = $"bench-{workload.Name.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}";
        await target.PrepareAsync(queue, cancellationToken);
        var counters = new Counters(messages);
        var payload = Payload();
        var producers = new List<IBenchConnection>();
        var consumers = new List<IBenchConnection>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var label = run == 0 ? $"{target.Name} warm-up" : $"{target.Name} {workload.Name} run {run}";
        try
        {
            for (var i = 0; i < workload.Producers; i++)
            {
                producers.Add(await target.ConnectAsync(cancellationToken));
            }
            for (var i = 0; i < workload.Consumers; i++)
            {
                consumers.Add(await target.ConnectAsync(cancellationToken));
            }
            var consuming = consumers.Select(c => Task.Run(() => c.ConsumeAsync(queue, counters, stop.Token), CancellationToken.None)).ToArray();
            var start = Stopwatch.GetTimestamp();
            var share = messages / workload.Producers;
            var producing = producers.Select((p, i) =>
                Task.Run(() => p.ProduceAsync(queue, i == 0 ? messages - share * (workload.Producers - 1) : share, payload, counters, stop.Token), CancellationToken.None)).ToArray();
            using var progress = new ProgressLine(label, counters, start);
            var failed = Task.WhenAny(producing.Concat(consuming).Select(async t =>
            {
                await t;
                // A consumer never ends on its own before the stop; a producer ending is fine.
                await Task.Delay(Timeout.Infinite, stop.Token);
            }));
            var finished = await Task.WhenAny(counters.Done, Task.Delay(settings.RunTimeout, cancellationToken), failed);
            if (finished != counters.Done)
            {
                var error = producing.Concat(consuming).FirstOrDefault(t => t.IsFaulted)?.Exception?.GetBaseException();
                progress.Finish($"FAILED ({(error is null ? "timed out" : error.GetType().Name + ": " + error.Message)})");
                return null;
            }
            var seconds = Stopwatch.GetElapsedTime(start, counters.EndTimestamp).TotalSeconds;
            var rate = messages / seconds;
            progress.Finish($"{rate:F0} msg/s ({seconds:F2} s)");
            return rate;
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var connection in producers.Concat(consumers))
            {
                await DisposeQuietlyAsync(connection);
            }
        }
    }

    private static byte[] Payload()
    {
        // Printable ASCII so that every system (including the JSON API) carries exactly 1 KiB of body.
        var payload = new byte[BenchSettings.PayloadBytes];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)('a' + i % 26);
        }
        return payload;
    }

    private static async Task DisposeQuietlyAsync(IBenchConnection connection)
    {
        try
        {
            await connection.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A connection that fails to close after a finished run does not change its result.
        }
    }
}
