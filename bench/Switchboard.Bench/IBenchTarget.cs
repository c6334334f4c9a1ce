namespace Switchboard.Bench;

/// A system under test. Every producer and every consumer gets its own connection.
internal interface IBenchTarget : IAsyncDisposable
{
    string Name { get; }

    /// Creates a fresh, empty, durable queue.
    Task PrepareAsync(string queue, CancellationToken cancellationToken);

    Task<IBenchConnection> ConnectAsync(CancellationToken cancellationToken);
}
