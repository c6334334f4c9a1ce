using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Switchboard.Bench;

/// RabbitMQ: a durable classic queue (or a quorum queue), persistent messages, publisher confirms (tracked by the
/// client), manual acks.
internal sealed class RabbitMqTarget(int port, bool quorum, string peersDirectory) : IBenchTarget
{
    private readonly ConnectionFactory _factory = new() { HostName = "127.0.0.1", Port = port };

    public string Name => quorum ? "rabbitmq-quorum" : "rabbitmq";

    public string Durability => quorum
        ? "quorum queue (Raft log), confirm after fsync"
        : "durable classic queue, persistent messages, confirm after fsync";

    public CpuProbe? Server => CpuProbe.ForGroupInPidFile(Path.Combine(peersDirectory, "rabbitmq.pid"));

    public async Task PrepareAsync(string queue, CancellationToken cancellationToken)
    {
        await using var connection = await _factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = quorum ? "quorum" : "classic" }, cancellationToken: cancellationToken);
    }

    public async Task<IBenchConnection> ConnectAsync(CancellationToken cancellationToken) =>
        new Connection(await _factory.CreateConnectionAsync(cancellationToken));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Connection(IConnection connection) : IBenchConnection
    {
        private IChannel? _publisher;

        public async Task ProduceAsync(string queue, int count, ReadOnlyMemory<byte> payload, Counters counters, CancellationToken cancellationToken)
        {
            // With tracking on, BasicPublishAsync completes when the broker confirms the message (after it is on disk).
            // The client's own limiter is off: its default throttles (adds delays) from half its limit on, and the
            // window here is the same InFlight bound every system gets.
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
                    outstandingPublisherConfirmationsRateLimiter: null), cancellationToken);
            var properties = new BasicProperties { Persistent = true };
            using var inFlight = new InFlight(BenchSettings.Window);
            for (var i = 0; i < count; i++)
            {
                await inFlight.StartAsync(1, async () =>
                {
                    await channel.BasicPublishAsync("", queue, mandatory: false, properties, payload, cancellationToken);
                    counters.AddPublished(1);
                }, cancellationToken);
            }
            await inFlight.DrainAsync();
        }

        public async Task PublishAsync(string queue, IReadOnlyList<byte[]> bodies, CancellationToken cancellationToken)
        {
            // One confirm channel per producer connection, opened on first use and kept for the run.
            _publisher ??= await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
                    outstandingPublisherConfirmationsRateLimiter: null), cancellationToken);
            var properties = new BasicProperties { Persistent = true };
            var confirms = new Task[bodies.Count];
            for (var i = 0; i < bodies.Count; i++)
            {
                confirms[i] = _publisher.BasicPublishAsync("", queue, mandatory: false, properties, bodies[i], cancellationToken).AsTask();
            }
            await Task.WhenAll(confirms);
        }

        public async Task ConsumeAsync(string queue, Counters counters, BodyReceived? received, CancellationToken cancellationToken)
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.BasicQosAsync(0, BenchSettings.Window, global: false, cancellationToken);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                received?.Invoke(delivery.Body.Span);
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
                counters.AddAcked(1);
            };
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            if (_publisher is not null)
            {
                await _publisher.DisposeAsync();
            }
            await connection.CloseAsync();
            connection.Dispose();
        }
    }
}
