using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Switchboard.Broker;
using Switchboard.Errors;
using Switchboard.Identity;

namespace Switchboard.Server.Broker;

/// <summary>
/// One streaming consumer of one queue on one hub connection, with credit-based flow control: the consumer
/// holds at most <c>credits</c> unsettled messages. A message counts from the moment it is leased until its ack or
/// nack commits, or its lease expires. Receives are batched (up to the free credits, at most 256 per store call), two
/// at a time on an unordered queue, and long-poll on the store's signal, so an idle consumer costs nothing; each
/// receive's messages are pushed the moment it returns, whatever the other one is still waiting for.
/// When the stream ends (the client cancels it, the connection drops, a later <c>Subscribe</c> replaces it, or the
/// client stopped reading) every unsettled message is nacked at once, so it goes back to the queue immediately
/// instead of waiting for its lease to expire.
/// </summary>
internal sealed partial class BrokerHubConsumer : IAsyncDisposable
{
    public const int MaxCredits = 10_000;
    private const int MaxPerReceive = 256;
    private const int MaxSettle = 1000;
    private static readonly TimeSpan LongestCreditWait = TimeSpan.FromSeconds(30);

    private readonly BrokerService _broker;
    private readonly Caller _caller;
    private readonly int? _leaseSeconds;
    private readonly int _maxReceive;
    private readonly int _waitSeconds;
    private readonly TimeSpan _idleAfter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<BrokerHubConsumer> _ended;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (LeaseToken Token, DateTimeOffset ExpiresAt)> _unsettled = new(StringComparer.Ordinal);
    private readonly Channel<BrokerHubMessage> _output =
        Channel.CreateUnbounded<BrokerHubMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _streamRegistration;
    private CancellationTokenRegistration _stoppingRegistration;
    private Task _loop = Task.CompletedTask;
    private readonly int _parallelReceives;
    private int _credits;
    // Credits set aside for receives still out.
    private int _reserved;
    private int _disposed;
    // Whether messages went out since the client last settled or credited anything, and since when.
    private bool _unanswered;
    private DateTimeOffset _unansweredSince;

    public BrokerHubConsumer(
        BrokerService broker, Caller caller, string queue, QueueOrdering ordering, int credits, int? leaseSeconds, BrokerOptions options,
        TimeProvider time, ILogger logger, Action<BrokerHubConsumer> ended)
    {
        _parallelReceives = ordering == QueueOrdering.None ? 2 : 1;
        _broker = broker;
        _caller = caller;
        Queue = queue;
        _credits = credits;
        _leaseSeconds = leaseSeconds;
        _maxReceive = Math.Min(MaxPerReceive, options.MaxReceive);
        _waitSeconds = options.MaxWaitSeconds;
        _idleAfter = TimeSpan.FromSeconds(options.Hub.IdleSubscriptionSeconds);
        _time = time;
        _logger = logger;
        _ended = ended;
    }

    public string Queue { get; }

    /// <summary>
    /// Starts pushing; the stream ends when <paramref name="streamAborted"/> fires (client cancel or disconnect) or the
    /// server stops, when long polls return at once and must not be retried.
    /// </summary>
    public ChannelReader<BrokerHubMessage> Start(CancellationToken streamAborted, CancellationToken serverStopping)
    {
        _streamRegistration = streamAborted.Register(static state => ((CancellationTokenSource)state!).Cancel(), _stop);
        _stoppingRegistration = serverStopping.Register(static state => ((CancellationTokenSource)state!).Cancel(), _stop);
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return _output.Reader;
    }

    /// <summary>Raises the credit window by <paramref name="credits"/>; returns the new window.</summary>
    public int AddCredits(int credits)
    {
        lock (_gate)
        {
            if (credits < 1 || (long)_credits + credits > MaxCredits)
            {
                throw SwitchboardException.Validation("credits", $"credits must be at least 1 and the window at most {MaxCredits}; it is {_credits} now.");
            }
            _credits += credits;
            _unanswered = false;
            SignalLocked();
            return _credits;
        }
    }

    /// <summary>Frees the credits of leases whose ack or nack has committed (or that turned out expired).</summary>
    public void Settled(IReadOnlyList<SettleResult> results)
    {
        lock (_gate)
        {
            _unanswered = false;
            var freed = false;
            foreach (var result in results)
            {
                freed |= _unsettled.Remove(result.Lease);
            }
            if (freed)
            {
                SignalLocked();
            }
        }
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        Exception? failure = null;
        var receiving = new List<(Task<IReadOnlyList<BrokerMessage>> Messages, int Reserved)>(_parallelReceives);
        try
        {
            while (true)
            {
                var (free, changed, wait, idle) = Look();
                if (idle > 0)
                {
                    LogIdle(_logger, Queue, idle, _idleAfter.TotalSeconds);
                    throw new SwitchboardException(ErrorCodes.SubscriptionIdle,
                        $"The subscription to '{Queue}' held {idle} messages without an Ack, Nack or Credit for {_idleAfter.TotalSeconds:0} s " +
                        "(Broker:Hub:IdleSubscriptionSeconds); they were released. Keep reading the stream, or cancel its token when you stop.");
                }
                // While one receive is out, the next one is already on its way (unordered queues only, where the
                // hand-out order between two batches is not promised): a store with a round trip per receive
                // (PostgreSQL) then always has a receive to answer instead of waiting for this loop.
                while (receiving.Count < _parallelReceives && free > 0)
                {
                    var count = Reserve(free);
                    receiving.Add(StartReceive(count, token));
                    free -= count;
                }
                // Whichever receive returns first is handed over at once: waiting for the one started earlier,
                // which may be long-polling an empty queue, would hold the other's leased messages back unseen.
                var waits = new Task[receiving.Count + 1];
                for (var i = 0; i < receiving.Count; i++)
                {
                    waits[i] = receiving[i].Messages;
                }
                waits[^1] = changed;
                try
                {
                    await Task.WhenAny(waits).WaitAsync(wait, _time, token).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // A lease may have expired; look again.
                }
                for (var i = 0; i < receiving.Count; i++)
                {
                    if (receiving[i].Messages.IsCompleted)
                    {
                        var (received, reserved) = receiving[i];
                        receiving.RemoveAt(i--);
                        Deliver(await received.ConfigureAwait(false), reserved);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The stream or the connection ended.
        }
        catch (SwitchboardException ex)
        {
            failure = BrokerHubErrorFilter.ToHubException(ex);
        }
        catch (Exception ex)
        {
            LogConsumerFailed(_logger, ex, Queue);
            failure = new HubException($"{ErrorCodes.InternalError.Code}: {ErrorCodes.InternalError.Title}");
        }
        // Receives still out may yet lease messages: those are unsettled too, released below.
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var pending in receiving)
        {
            try
            {
                Track(await pending.Messages.ConfigureAwait(false), pending.Reserved);
            }
            catch (Exception)
            {
                // It failed or was cancelled, so it leased nothing; its error, if any, was the loop's to report.
            }
        }
        _output.Writer.TryComplete(failure);
        await ReleaseAsync().ConfigureAwait(false);
        _ended(this);
    }

    private (Task<IReadOnlyList<BrokerMessage>>, int) StartReceive(int count, CancellationToken token) =>
        (_broker.ReceiveAsync(_caller, Queue, count, _waitSeconds, _leaseSeconds, token), count);

    /// <summary>Sets aside up to one receive's worth of <paramref name="free"/> credits; returns how many.</summary>
    private int Reserve(int free)
    {
        var count = Math.Min(free, _maxReceive);
        lock (_gate)
        {
            _reserved += count;
        }
        return count;
    }

    private void Deliver(IReadOnlyList<BrokerMessage> messages, int reserved)
    {
        // Counted before they are written, so the client can never see more than its credits.
        Track(messages, reserved);
        foreach (var message in messages)
        {
            _output.Writer.TryWrite(BrokerHubMessage.From(message));
        }
    }

    private void Track(IReadOnlyList<BrokerMessage> messages, int reserved)
    {
        lock (_gate)
        {
            _reserved -= reserved;
            if (messages.Count > 0 && !_unanswered)
            {
                _unanswered = true;
                _unansweredSince = _time.GetUtcNow();
            }
            foreach (var message in messages)
            {
                if (LeaseToken.TryParse(message.Lease, out var lease))
                {
                    _unsettled[message.Lease!] = (lease.Value, message.LeaseExpiresAt ?? DateTimeOffset.MaxValue);
                }
            }
        }
    }

    /// <summary>
    /// Forgets expired leases and answers the free credits, a task that completes on the next change of the window,
    /// how long to wait at most before looking again (until the earliest lease expires or the client counts as gone),
    /// and how many messages an idle client holds (0 while it is reading).
    /// </summary>
    private (int Free, Task Changed, TimeSpan Wait, int Idle) Look()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var earliest = DateTimeOffset.MaxValue;
            foreach (var (lease, entry) in _unsettled)
            {
                if (entry.ExpiresAt <= now)
                {
                    // An expired lease is no longer this consumer's: the message is back in the queue.
                    _unsettled.Remove(lease);
                }
                else if (entry.ExpiresAt < earliest)
                {
                    earliest = entry.ExpiresAt;
                }
            }
            // A client that stopped reading without cancelling its stream holds its messages until the connection closes,
            // and as their leases expire the server would deliver them to it again and again. Expiries do not count as
            // an answer, so such a client is found however short its leases are.
            if (_unanswered && _unsettled.Count > 0)
            {
                var idleAt = _unansweredSince + _idleAfter;
                if (idleAt <= now)
                {
                    return (0, _changed.Task, TimeSpan.Zero, _unsettled.Count);
                }
                earliest = idleAt < earliest ? idleAt : earliest;
            }
            var wait = earliest == DateTimeOffset.MaxValue ? LongestCreditWait : TimeSpan.FromTicks(Math.Min((earliest - now).Ticks, LongestCreditWait.Ticks));
            return (_credits - _unsettled.Count - _reserved, _changed.Task, wait + TimeSpan.FromMilliseconds(5), 0);
        }
    }

    private void SignalLocked()
    {
        var previous = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }

    private async Task ReleaseAsync()
    {
        LeaseToken[] leases;
        lock (_gate)
        {
            leases = _unsettled.Values.Select(e => e.Token).ToArray();
            _unsettled.Clear();
        }
        foreach (var chunk in leases.Chunk(MaxSettle))
        {
            try
            {
                await _broker.NackAsync(_caller, Queue, chunk, null, "The consumer's stream ended.", deadLetter: false, CancellationToken.None)
                    .ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The leases still expire on their own, so nothing is lost.
                LogReleaseFailed(_logger, ex, Queue, chunk.Length);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await _streamRegistration.DisposeAsync().ConfigureAwait(false);
        await _stoppingRegistration.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 2151, Level = LogLevel.Error, Message = "The streaming consumer of queue {Queue} failed.")]
    private static partial void LogConsumerFailed(ILogger logger, Exception exception, string queue);

    [LoggerMessage(EventId = 2152, Level = LogLevel.Warning, Message = "Releasing {Count} unsettled messages of queue {Queue} failed; they return when their leases expire.")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string queue, int count);

    [LoggerMessage(EventId = 2153, Level = LogLevel.Warning, Message = "Ended the subscription to queue {Queue}: it held {Count} messages without an Ack, Nack or Credit for {Seconds} s.")]
    private static partial void LogIdle(ILogger logger, string queue, int count, double seconds);
}
