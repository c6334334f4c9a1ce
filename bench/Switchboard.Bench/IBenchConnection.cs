namespace Switchboard.Bench;

internal interface IBenchConnection : IAsyncDisposable
{
    /// Publishes <paramref name="count"/> messages with at most <see cref="BenchSettings.Window"/> unconfirmed at a time;
    /// a message counts as published only when the system confirmed it durable.
    Task ProduceAsync(string queue, int count, ReadOnlyMemory<byte> payload, Counters counters, CancellationToken cancellationToken);

    /// Receives and acks until cancelled.
    Task ConsumeAsync(string queue, Counters counters, CancellationToken cancellationToken);
}
