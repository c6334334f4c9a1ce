using System.Diagnostics;

namespace Switchboard.Bench;

/// Runs one queue workload once against one target: consumers attach first, then the clock starts with the first
/// publish and stops at the last ack. W1/W2 publish N messages as fast as the window allows; W3 offers a fixed rate.
internal static class WorkloadRunner
{
    public static async Task<RunResult?> RunAsync(IBenchTarget target, Workload workload, int messages, int run, BenchSettings settings, CancellationToken cancellationToken)
    {
        var queue = $"bench-{workload.Name.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}";
        await target.PrepareAsync(queue, cancellationToken);
        var fixedRate = workload.Kind == WorkloadKind.FixedRate;
        var counters = new Counters(messages);
        var latencies = new Latencies();
        BodyReceived? received = fixedRate
            ? body =>
            {
                if (Stamp.Age(body, Stamp.Now()) is { } age)
                {
                    latencies.Add(age);
                }
            }
            : null;
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
            var consuming = consumers.Select(c => Task.Run(() => c.ConsumeAsync(queue, counters, received, stop.Token), CancellationToken.None)).ToArray();
            var serverBefore = target.Server?.Seconds();
            var runnerBefore = CpuProbe.Self.Seconds() ?? 0;
            var start = Stopwatch.GetTimestamp();
            var share = messages / workload.Producers;
            var producing = fixedRate
                ? [Task.Run(() => OfferAsync(producers[0], queue, messages, settings.Rate, start, counters, stop.Token), CancellationToken.None)]
                : producers.Select((p, i) =>
                    Task.Run(() => p.ProduceAsync(queue, i == 0 ? messages - share * (workload.Producers - 1) : share, Stamp.Filler(), counters, stop.Token), CancellationToken.None)).ToArray();
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
            var serverAfter = target.Server?.Seconds();
            var runnerAfter = CpuProbe.Self.Seconds() ?? 0;
            var seconds = Stopwatch.GetElapsedTime(start, counters.EndTimestamp).TotalSeconds;
            var rate = messages / seconds;
            var result = new RunResult(rate, seconds, messages,
                fixedRate ? latencies.Percentile(0.50) : null,
                fixedRate ? latencies.Percentile(0.99) : null,
                fixedRate ? latencies.Percentile(0.999) : null,
                serverAfter - serverBefore, runnerAfter - runnerBefore,
                MaxMs: fixedRate ? latencies.Percentile(1.0) : null);
            progress.Finish(fixedRate
                ? $"{rate:F0} msg/s delivered of {settings.Rate} offered, p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms, p99.9 {result.P999Ms:F1} ms, max {result.MaxMs:F1} ms"
                : $"{rate:F0} msg/s ({seconds:F2} s), server CPU {result.ServerCpuPercent:F0} %, runner CPU {result.RunnerCpuPercent:F0} %");
            return result;
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

    /// Open loop: message i is due at start + i/rate whatever the system does, and carries that due time as its stamp,
    /// so a publisher that falls behind (because the system is slow to confirm or the machine is busy) adds its lag to
    /// the measured latency instead of hiding it (no coordinated omission). Confirms are awaited only at the end.
    private static async Task OfferAsync(IBenchConnection producer, string queue, int total, int rate, long start, Counters counters, CancellationToken cancellationToken)
    {
        var ticksPerMessage = (double)Stopwatch.Frequency / rate;
        var pending = new List<Task>();
        var failure = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = 0;
        while (sent < total)
        {
            var due = Math.Min(total, (int)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate) + 1);
            while (sent < due)
            {
                var size = Math.Min(BenchSettings.Batch, due - sent);
                var bodies = new byte[size][];
                for (var k = 0; k < size; k++)
                {
                    bodies[k] = Stamp.Create(start + (long)((sent + k) * ticksPerMessage));
                }
                pending.Add(ConfirmAsync(producer.PublishAsync(queue, bodies, cancellationToken), size, counters, failure));
                sent += size;
            }
            if (failure.Task.IsFaulted)
            {
                await failure.Task;
            }
            await Task.Delay(1, cancellationToken);
        }
        await Task.WhenAll(pending);
    }

    private static async Task ConfirmAsync(Task publish, int count, Counters counters, TaskCompletionSource failure)
    {
        try
        {
            await publish;
        }
        catch (Exception e)
        {
            failure.TrySetException(e);
            throw;
        }
        counters.AddPublished(count);
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
