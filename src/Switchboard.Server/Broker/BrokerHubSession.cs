using System.Collections.Concurrent;
using Switchboard.Identity;

namespace Switchboard.Server.Broker;

/// <summary>What one hub connection holds: its caller and its streaming consumers, one per queue.</summary>
internal sealed class BrokerHubSession(Caller caller) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, BrokerHubConsumer> _consumers = new(StringComparer.Ordinal);

    public Caller Caller { get; } = caller;

    /// <summary>Makes <paramref name="consumer"/> this connection's consumer of its queue; returns the one it replaces, if any.</summary>
    public BrokerHubConsumer? Replace(BrokerHubConsumer consumer)
    {
        BrokerHubConsumer? previous = null;
        _consumers.AddOrUpdate(consumer.Queue, consumer, (_, old) =>
        {
            previous = old;
            return consumer;
        });
        return previous;
    }

    public BrokerHubConsumer? Find(string queue) => _consumers.GetValueOrDefault(queue);

    public void Remove(BrokerHubConsumer consumer) => _consumers.TryRemove(new KeyValuePair<string, BrokerHubConsumer>(consumer.Queue, consumer));

    /// <summary>Ends every consumer; each nacks its unsettled messages so they are redelivered at once.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var consumer in _consumers.Values)
        {
            await consumer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
