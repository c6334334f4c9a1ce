using Switchboard.Broker;

namespace Switchboard.Sqlite.Broker;

/// <summary>A topic and its subscriptions; the list is replaced, never changed, so publishers read it without a lock.</summary>
internal sealed class TopicState(string name, DateTimeOffset createdAt, IReadOnlyList<Subscription> subscriptions)
{
    private readonly Lock _gate = new();
    private volatile IReadOnlyList<Subscription> _subscriptions = subscriptions;

    public string Name { get; } = name;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public bool Deleted { get; set; }

    public IReadOnlyList<Subscription> Subscriptions => _subscriptions;

    public TopicInfo Info => new(Name, CreatedAt, _subscriptions.Count);

    public void Add(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }
    }

    public void RemoveWhere(Func<Subscription, bool> predicate)
    {
        lock (_gate)
        {
            _subscriptions = _subscriptions.Where(s => !predicate(s)).ToArray();
        }
    }
}
