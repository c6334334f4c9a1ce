namespace Switchboard.Bench;

/// Bounds how many confirms (or acks) one connection waits for at a time, and surfaces the first failure.
internal sealed class InFlight(int limit) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(limit, limit);
    private readonly List<Task> _pending = [];

    public async Task StartAsync(int slots, Func<Task> operation, CancellationToken cancellationToken)
    {
        for (var i = 0; i < slots; i++)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        var task = RunAsync(slots, operation);
        lock (_pending)
        {
            _pending.RemoveAll(t => t.IsCompletedSuccessfully);
            _pending.Add(task);
        }
    }

    public async Task DrainAsync()
    {
        Task[] pending;
        lock (_pending)
        {
            pending = [.. _pending];
        }
        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private async Task RunAsync(int slots, Func<Task> operation)
    {
        try
        {
            await operation().ConfigureAwait(false);
        }
        finally
        {
            _slots.Release(slots);
        }
    }

    public void Dispose() => _slots.Dispose();
}
