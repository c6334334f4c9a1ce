using Switchboard.Broker;

namespace Switchboard.Sqlite.Broker;

/// <summary>
/// The in-memory index of one queue: ready messages in hand-out order, delayed ones by due time, expiring
/// ones by expiry, and what is in flight. Every member is guarded by <see cref="Gate"/>.
/// </summary>
internal sealed class QueueState
{
    private static readonly Comparer<MessageEntry> PriorityOrder = Comparer<MessageEntry>.Create((a, b) =>
    {
        var byPriority = b.Priority.CompareTo(a.Priority);
        return byPriority != 0 ? byPriority : a.Seq.CompareTo(b.Seq);
    });

    private static readonly Comparer<MessageEntry> SequenceOrder = Comparer<MessageEntry>.Create((a, b) => a.Seq.CompareTo(b.Seq));

    private static readonly Comparer<MessageEntry> DueOrder = Comparer<MessageEntry>.Create((a, b) =>
    {
        var byTime = a.AvailableAt.CompareTo(b.AvailableAt);
        return byTime != 0 ? byTime : a.Seq.CompareTo(b.Seq);
    });

    private static readonly Comparer<MessageEntry> ExpiryOrder = Comparer<MessageEntry>.Create((a, b) =>
    {
        var byTime = a.ExpiresAt!.Value.CompareTo(b.ExpiresAt!.Value);
        return byTime != 0 ? byTime : a.Seq.CompareTo(b.Seq);
    });

    private List<TaskCompletionSource> _waiters = [];

    public QueueState(string name, QueueSettings settings, DateTimeOffset createdAt)
    {
        Name = name;
        Settings = settings;
        CreatedAt = createdAt;
        Ready = new SortedSet<MessageEntry>(OrderFor(settings.Ordering));
    }

    public object Gate { get; } = new();

    public string Name { get; }

    public QueueSettings Settings { get; private set; }

    public DateTimeOffset CreatedAt { get; }

    public bool Deleted { get; set; }

    public Dictionary<Guid, MessageEntry> Entries { get; } = [];

    public SortedSet<MessageEntry> Ready { get; private set; }

    public SortedSet<MessageEntry> Delayed { get; } = new(DueOrder);

    public SortedSet<MessageEntry> Expiring { get; } = new(ExpiryOrder);

    /// <summary>Delivered and not yet settled (including settles still being written), for FIFO and lease expiry.</summary>
    public HashSet<MessageEntry> InFlight { get; } = [];

    /// <summary>Groups whose head is in flight (<see cref="QueueOrdering.FifoByGroup"/>).</summary>
    public Dictionary<string, int> BusyGroups { get; } = new(StringComparer.Ordinal);

    /// <summary>Messages being published to this queue whose commit has not been applied yet (for maxLength).</summary>
    public int Pending { get; set; }

    public QueueInfo Info => new(Name, Settings, CreatedAt);

    public void ChangeSettings(QueueSettings settings)
    {
        if (settings.Ordering != Settings.Ordering)
        {
            Ready = new SortedSet<MessageEntry>(Ready, OrderFor(settings.Ordering));
        }
        Settings = settings;
    }

    /// <summary>Adds a message that is ready or delayed (by its AvailableAt).</summary>
    public void Add(MessageEntry entry, long now)
    {
        Entries[entry.Id] = entry;
        if (entry.ExpiresAt is not null)
        {
            Expiring.Add(entry);
        }
        Enqueue(entry, now);
    }

    /// <summary>Makes a known message ready or delayed again.</summary>
    public void Enqueue(MessageEntry entry, long now)
    {
        if (entry.AvailableAt > now)
        {
            entry.State = EntryState.Delayed;
            Delayed.Add(entry);
        }
        else
        {
            entry.State = EntryState.Ready;
            Ready.Add(entry);
        }
    }

    /// <summary>Forgets a message entirely; false when it is no longer this entry (purged, moved).</summary>
    public bool Remove(MessageEntry entry)
    {
        if (!Entries.TryGetValue(entry.Id, out var known) || !ReferenceEquals(known, entry))
        {
            return false;
        }
        Entries.Remove(entry.Id);
        Ready.Remove(entry);
        Delayed.Remove(entry);
        if (entry.ExpiresAt is not null)
        {
            Expiring.Remove(entry);
        }
        LeaveFlight(entry);
        return true;
    }

    /// <summary>Forgets every message (purge, delete); settles still being written find nothing to apply.</summary>
    public void Clear()
    {
        Entries.Clear();
        Ready.Clear();
        Delayed.Clear();
        Expiring.Clear();
        InFlight.Clear();
        BusyGroups.Clear();
    }

    public void EnterFlight(MessageEntry entry)
    {
        InFlight.Add(entry);
        if (entry.GroupKey is { } group)
        {
            BusyGroups[group] = BusyGroups.GetValueOrDefault(group) + 1;
        }
    }

    public void LeaveFlight(MessageEntry entry)
    {
        if (InFlight.Remove(entry) && entry.GroupKey is { } group && BusyGroups.TryGetValue(group, out var count))
        {
            if (count <= 1)
            {
                BusyGroups.Remove(group);
            }
            else
            {
                BusyGroups[group] = count - 1;
            }
        }
    }

    /// <summary>Moves delayed messages that are due into the ready set; true when any moved.</summary>
    public bool PromoteDue(long now)
    {
        var moved = false;
        while (Delayed.Count > 0 && Delayed.Min!.AvailableAt <= now)
        {
            var entry = Delayed.Min!;
            Delayed.Remove(entry);
            entry.State = EntryState.Ready;
            Ready.Add(entry);
            moved = true;
        }
        return moved;
    }

    /// <summary>Picks up to <paramref name="max"/> deliverable messages in order, honouring the queue's ordering.</summary>
    public List<MessageEntry> TakeDeliverable(int max, long now)
    {
        PromoteDue(now);
        var picked = new List<MessageEntry>(Math.Min(max, Math.Max(Ready.Count, 1)));
        if (Ready.Count == 0)
        {
            return picked;
        }
        var ordering = Settings.Ordering;
        if (ordering == QueueOrdering.Fifo)
        {
            if (InFlight.Count > 0)
            {
                return picked;
            }
            foreach (var entry in Ready)
            {
                if (entry.ExpiresAt is null || entry.ExpiresAt > now)
                {
                    picked.Add(entry);
                    break;
                }
            }
        }
        else
        {
            HashSet<string>? groups = null;
            foreach (var entry in Ready)
            {
                if (entry.ExpiresAt <= now)
                {
                    continue;
                }
                if (ordering == QueueOrdering.FifoByGroup && entry.GroupKey is { } group)
                {
                    groups ??= new HashSet<string>(StringComparer.Ordinal);
                    // The first message seen of a group is its head; later ones wait for it.
                    if (!groups.Add(group) || BusyGroups.ContainsKey(group))
                    {
                        continue;
                    }
                }
                picked.Add(entry);
                if (picked.Count == max)
                {
                    break;
                }
            }
        }
        foreach (var entry in picked)
        {
            Ready.Remove(entry);
        }
        return picked;
    }

    public TaskCompletionSource AddWaiter()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add(waiter);
        return waiter;
    }

    public void RemoveWaiter(TaskCompletionSource waiter) => _waiters.Remove(waiter);

    /// <summary>Wakes every long-poll waiter: something may be deliverable now.</summary>
    public void Signal()
    {
        if (_waiters.Count == 0)
        {
            return;
        }
        var waiters = _waiters;
        _waiters = [];
        foreach (var waiter in waiters)
        {
            waiter.TrySetResult();
        }
    }

    private static Comparer<MessageEntry> OrderFor(QueueOrdering ordering) =>
        ordering == QueueOrdering.None ? PriorityOrder : SequenceOrder;
}
