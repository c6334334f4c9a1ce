using System.Collections.Concurrent;
using Switchboard.Identity;

namespace Switchboard.Server.Broker;

/// <summary>What one hub connection holds: its caller and its streaming consumers, one per queue.</summary>
internal sealed class BrokerHubSession(Caller caller) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, BrokerHubConsumer> _consumers = new(StringComparer.Ordinal);

    public Caller Caller { get; } = caller;

    public bool TryAdd(BrokerHubConsumer consumer) => _consumers.TryAdd(consumer.Queue, consumer);

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
