namespace Switchboard.Broker;

/// <summary>How a queue hands out its messages.</summary>
public enum QueueOrdering
{
    /// <summary>Highest priority first, then oldest first; many messages in flight at once.</summary>
    None,

    /// <summary>Strict order for the whole queue: only the head is handed out, the next one after the head is settled.</summary>
    Fifo,

    /// <summary>Strict order per <c>groupKey</c>: a group waits while its head is in flight, other groups flow.</summary>
    FifoByGroup,
}
