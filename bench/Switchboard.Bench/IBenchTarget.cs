namespace Switchboard.Bench;

/// A system under test. Every producer and every consumer gets its own connection.
internal interface IBenchTarget : IAsyncDisposable
{
    string Name { get; }

    /// When this system acknowledges a publish, in words (what a crash can lose).
    string Durability { get; }

    /// The server's processes, for CPU accounting; null when unknown.
    CpuProbe? Server { get; }

    /// Creates a fresh, empty, durable queue.
    Task PrepareAsync(string queue, CancellationToken cancellationToken);

    Task<IBenchConnection> ConnectAsync(CancellationToken cancellationToken);
}
