namespace Switchboard.EndToEnd.Tests.Reliability;

/// <summary>
/// Checks a <see cref="CrashHistory"/> against the state the restarted server reports. Each check adds an anomaly
/// (a sentence naming the operation) instead of stopping, so one run reports everything it found.
/// </summary>
internal sealed class CrashChecker(CrashHistory history, int leaseSeconds)
{
    /// <summary>Slack for comparing the server's clock-based due times with the history's clock (same machine).</summary>
    private const double ClockSlack = 0.05;

    /// <summary>How long before the fake provider noted a call the server may have sent it.</summary>
    private const double SendSlack = 1.0;

    public List<string> Anomalies { get; } = [];

    /// <summary>Redeliveries seen, each explained by a kill, an unanswered or refused ack, or an expired lease.</summary>
    public int Redeliveries { get; private set; }

    /// <summary>Notification sends the provider got more than once, each with the reason it may have happened.</summary>
    public List<string> PossiblyDuplicated { get; } = [];

    private readonly HashSet<string> _seen = [];

    /// <summary>Records an anomaly once, although the checks after later restarts find it again.</summary>
    public void Anomaly(string text)
    {
        if (_seen.Add(text))
        {
            Anomalies.Add(text);
        }
    }

    /// <summary>
    /// The broker, once the queue has been drained: every acknowledged publish was delivered; nothing delivered
    /// was never published; no delayed message came early; no lease was granted twice at once; every redelivery is
    /// explained and no acknowledged ack was undone.
    /// </summary>
    public void CheckBroker()
    {
        var deliveries = history.Deliveries.ToArray();
        var delivered = deliveries.Select(d => d.Id).ToHashSet();
        var attempted = history.Publishes.SelectMany(p => p.Bodies).ToHashSet();
        foreach (var publish in history.Publishes.Where(p => p.Outcome == Outcome.Ok))
        {
            foreach (var id in publish.Ids.Where(id => !delivered.Contains(id)))
            {
                Anomaly($"acknowledged publish {id} ({publish.Bodies[Array.IndexOf(publish.Ids, id)]}, invoked at {publish.Invoked:F3} s) is lost");
            }
        }
        var delays = history.Publishes.Where(p => p.Outcome == Outcome.Ok)
            .SelectMany(p => p.Ids.Select(id => (id, due: p.Invoked + p.DelaySeconds))).ToDictionary(x => x.id, x => x.due);
        foreach (var delivery in deliveries)
        {
            if (!attempted.Contains(delivery.Body))
            {
                Anomaly($"message {delivery.Id} with body '{delivery.Body}' was delivered but never published");
            }
            if (delays.TryGetValue(delivery.Id, out var due) && delivery.ReceiveCompleted < due - ClockSlack)
            {
                Anomaly($"delayed message {delivery.Id} was delivered at {delivery.ReceiveCompleted:F3} s, before it was due at {due:F3} s");
            }
        }

        foreach (var group in deliveries.GroupBy(d => d.Id))
        {
            var ordered = group.OrderBy(d => d.ReceiveCompleted).ToArray();
            if (ordered.Select(d => d.Lease).Distinct().Count() != ordered.Length)
            {
                Anomaly($"message {group.Key} got the same lease token twice");
            }
            for (var i = 1; i < ordered.Length; i++)
            {
                var earlier = ordered[i - 1];
                var later = ordered[i];
                Redeliveries++;
                if (earlier.AckOutcome == Outcome.Ok && earlier.AckCompleted < later.ReceiveInvoked)
                {
                    Anomaly($"message {group.Key} was acked (lease {earlier.Lease}, answered ok at {earlier.AckCompleted:F3} s) and delivered again at {later.ReceiveCompleted:F3} s");
                    continue;
                }
                // The earlier lease was surely still held when the later one was granted: no kill in between, its ack
                // not yet sent (or never sent), and its lease time not yet over.
                var heldUntil = Math.Min(earlier.AckInvoked ?? double.MaxValue, earlier.ReceiveInvoked + leaseSeconds);
                if (later.ReceiveCompleted < heldUntil && !history.KilledBetween(earlier.ReceiveInvoked, later.ReceiveCompleted))
                {
                    Anomaly($"message {group.Key} was held by two consumers at once: lease {earlier.Lease} from {earlier.ReceiveCompleted:F3} s and {later.Lease} granted by {later.ReceiveCompleted:F3} s");
                    continue;
                }
                var explained = earlier.AckOutcome != Outcome.Ok
                    || history.KilledBetween(earlier.ReceiveInvoked, later.ReceiveCompleted)
                    || later.ReceiveCompleted >= earlier.ReceiveInvoked + leaseSeconds;
                if (!explained)
                {
                    Anomaly($"message {group.Key} was redelivered at {later.ReceiveCompleted:F3} s with no kill, failed ack or expired lease to explain it");
                }
            }
            // The documented bound (docs/broker.md): one delivery, plus one per kill and per expired or unsettled lease.
            var bound = 1 + history.Kills.Count + ordered.Count(d => d.AckOutcome != Outcome.Ok);
            if (ordered.Length > bound)
            {
                Anomaly($"message {group.Key} was delivered {ordered.Length} times, above the at-least-once bound {bound}");
            }
        }
    }

    /// <summary>
    /// KV: revisions are linear. No two acknowledged writes share a revision; a write that began after another
    /// acknowledged one ended got a higher revision; no two acknowledged CAS succeeded from the same revision of a key;
    /// the key now is at least at its last acknowledged revision, with that write's value.
    /// </summary>
    public void CheckKv(IReadOnlyDictionary<string, (long Revision, string? Value)> current)
    {
        var acked = history.CasWrites.Where(w => w.Outcome == Outcome.Ok).OrderBy(w => w.Revision).ToArray();
        foreach (var same in acked.GroupBy(w => w.Revision).Where(g => g.Count() > 1))
        {
            Anomaly($"KV revision {same.Key} was acknowledged to {same.Count()} writes ({string.Join(", ", same.Select(w => w.Value))})");
        }
        foreach (var same in acked.GroupBy(w => (w.Key, w.ExpectedRevision)).Where(g => g.Count() > 1))
        {
            Anomaly($"two compare-and-sets of {same.Key.Key} from revision {same.Key.ExpectedRevision} both succeeded");
        }
        var byCompletion = acked.OrderBy(w => w.Completed).ToArray();
        var maxCompletedRevision = 0L;
        var j = 0;
        foreach (var write in acked.OrderBy(w => w.Invoked))
        {
            while (j < byCompletion.Length && byCompletion[j].Completed < write.Invoked)
            {
                maxCompletedRevision = Math.Max(maxCompletedRevision, byCompletion[j].Revision);
                j++;
            }
            if (write.Revision <= maxCompletedRevision)
            {
                Anomaly($"KV write {write.Value} got revision {write.Revision}, not above revision {maxCompletedRevision} acknowledged before it began");
            }
        }
        foreach (var key in CrashWorkload.Keys)
        {
            var last = acked.Where(w => w.Key == key).MaxBy(w => w.Revision);
            var (revision, value) = current[key];
            if (last is not null && revision < last.Revision)
            {
                Anomaly($"KV key {key} is at revision {revision}, below its acknowledged revision {last.Revision}: an acknowledged CAS was lost");
            }
            else if (last is not null && revision == last.Revision && value != last.Value)
            {
                Anomaly($"KV key {key} at revision {revision} holds '{value}', not the acknowledged '{last.Value}'");
            }
            else if (value is not null && !history.CasWrites.Any(w => w.Key == key && w.Value == value && w.Outcome != Outcome.Refused))
            {
                Anomaly($"KV key {key} holds '{value}', which no write that may have succeeded wrote");
            }
        }
    }

    /// <summary>
    /// Chat: per conversation the sequence numbers are 1..n with no gap; every acknowledged send is there with the
    /// seq and id it was answered with, exactly once; read watermarks did not fall below an acknowledged receipt.
    /// </summary>
    public void CheckChat(IReadOnlyDictionary<Guid, IReadOnlyList<(long Seq, Guid Id, string? ClientMessageId)>> messages,
        IReadOnlyDictionary<Guid, long> readSeq)
    {
        foreach (var (conversation, list) in messages)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i].Seq != i + 1)
                {
                    Anomaly($"conversation {conversation}: message {i + 1} has seq {list[i].Seq} (a gap or a repeat)");
                    break;
                }
            }
            foreach (var repeat in list.Where(m => m.ClientMessageId is not null).GroupBy(m => m.ClientMessageId).Where(g => g.Count() > 1))
            {
                Anomaly($"conversation {conversation}: client message id {repeat.Key} is stored {repeat.Count()} times");
            }
            var byClientId = list.Where(m => m.ClientMessageId is not null).GroupBy(m => m.ClientMessageId!).ToDictionary(g => g.Key, g => g.First());
            foreach (var send in history.ChatSends.Where(s => s.Conversation == conversation && s.Outcome == Outcome.Ok))
            {
                if (!byClientId.TryGetValue(send.ClientMessageId, out var stored))
                {
                    Anomaly($"conversation {conversation}: acknowledged send {send.ClientMessageId} (seq {send.Seq}) is lost");
                }
                else if (stored.Seq != send.Seq || stored.Id != send.MessageId)
                {
                    Anomaly($"conversation {conversation}: send {send.ClientMessageId} was answered with seq {send.Seq}, id {send.MessageId}, but is stored as seq {stored.Seq}, id {stored.Id}");
                }
            }
            var receipt = history.Receipts.Where(r => r.Conversation == conversation && r.Outcome == Outcome.Ok).Select(r => r.ReadSeq).DefaultIfEmpty(0).Max();
            if (readSeq[conversation] < receipt)
            {
                Anomaly($"conversation {conversation}: read watermark {readSeq[conversation]} is below the acknowledged receipt {receipt}");
            }
        }
    }

    /// <summary>
    /// Notifications, once every delivery has settled: each acknowledged notification's deliveries reached the
    /// provider and are recorded as sent. A delivery the provider got twice is a possible duplicate only with a kill
    /// between the two calls (the send happened, the record of it did not); otherwise it is an anomaly.
    /// </summary>
    public void CheckNotifications(IReadOnlyDictionary<Guid, string> statusByDelivery, IReadOnlyDictionary<string, IReadOnlyList<double>> calls)
    {
        foreach (var notification in history.Notifications.Where(n => n.Outcome == Outcome.Ok))
        {
            foreach (var delivery in notification.DeliveryIds)
            {
                if (!statusByDelivery.TryGetValue(delivery, out var status))
                {
                    Anomaly($"notification {notification.Id}: acknowledged delivery {delivery} is lost");
                    continue;
                }
                if (status != "sent")
                {
                    Anomaly($"notification {notification.Id}: delivery {delivery} ended as '{status}', not sent");
                }
                if (!calls.TryGetValue(delivery.ToString(), out var times) || times.Count == 0)
                {
                    Anomaly($"notification {notification.Id}: delivery {delivery} never reached the provider");
                }
            }
        }
        foreach (var (key, times) in calls.Where(c => c.Value.Count > 1))
        {
            var ordered = times.Order().ToArray();
            for (var i = 1; i < ordered.Length; i++)
            {
                // The fake notes a call when it has read it; the server may have sent it just before a kill.
                if (history.KilledBetween(ordered[i - 1] - SendSlack, ordered[i]))
                {
                    PossiblyDuplicated.Add($"delivery {key}: sent at {ordered[i - 1]:F3} s and again at {ordered[i]:F3} s; the node was killed after the provider's 2xx and before the attempt was recorded; both carried Idempotency-Key {key}");
                }
                else
                {
                    Anomaly($"delivery {key} was sent to the provider twice ({ordered[i - 1]:F3} s and {ordered[i]:F3} s) with no kill in between");
                }
            }
        }
    }
}
