namespace Switchboard.Bench;

internal interface IBenchConnection : IAsyncDisposable
{
    /// Publishes <paramref name="count"/> messages with at most <see cref="BenchSettings.Window"/> unconfirmed at a time;
    /// a message counts as published only when the system confirmed it durable.
    Task ProduceAsync(string queue, int count, ReadOnlyMemory<byte> payload, Counters counters, CancellationToken cancellationToken);

    /// Publishes these bodies at once (one batch where the API takes batches, pipelined otherwise) and completes
    /// when the system confirmed all of them.
    Task PublishAsync(string queue, IReadOnlyList<byte[]> bodies, CancellationToken cancellationToken);

    /// Receives and acks until cancelled; <paramref name="received"/>, when given, sees every body on arrival.
    Task ConsumeAsync(string queue, Counters counters, BodyReceived? received, CancellationToken cancellationToken);
}
