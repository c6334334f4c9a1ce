using System.Collections.Concurrent;
using System.Diagnostics;

namespace Switchboard.EndToEnd.Tests.Reliability;

/// <summary>How an operation ended as the client saw it: answered 2xx, refused with a definite answer, or cut off.</summary>
internal enum Outcome
{
    Ok,
    Refused,
    Unknown,
}

/// <summary>
/// Every operation of a crash run with when it was invoked and when it completed (a monotonic clock in seconds since
/// the run began) and what it returned, as Jepsen records a history. Workers append concurrently; the checker reads it
/// after each restart. Kills are recorded with their time so the checker can tell which cycle an operation ran in.
/// </summary>
internal sealed class CrashHistory
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public double Now => _clock.Elapsed.TotalSeconds;

    public ConcurrentQueue<PublishOp> Publishes { get; } = new();

    public ConcurrentQueue<DeliveryOp> Deliveries { get; } = new();

    public ConcurrentQueue<CasOp> CasWrites { get; } = new();

    public ConcurrentQueue<ChatSendOp> ChatSends { get; } = new();

    public ConcurrentQueue<ReceiptOp> Receipts { get; } = new();

    public ConcurrentQueue<NotificationOp> Notifications { get; } = new();

    /// <summary>When each SIGKILL was sent, in order.</summary>
    public List<double> Kills { get; } = [];

    public int Operations => Publishes.Count + Deliveries.Count + Deliveries.Count(d => d.AckInvoked is not null)
        + CasWrites.Count + ChatSends.Count + Receipts.Count + Notifications.Count;

    /// <summary>True when a kill happened in the open interval (from, to).</summary>
    public bool KilledBetween(double from, double to) => Kills.Any(k => k > from && k < to);
}

/// <summary>One publish request (a single message or a batch), all of whose messages share its outcome.</summary>
internal sealed class PublishOp(string[] bodies, int delaySeconds, double invoked)
{
    public string[] Bodies { get; } = bodies;

    public int DelaySeconds { get; } = delaySeconds;

    public double Invoked { get; } = invoked;

    public double Completed { get; set; }

    public Outcome Outcome { get; set; } = Outcome.Unknown;

    public Guid[] Ids { get; set; } = [];
}

/// <summary>One message handed out by a receive, and the ack that settled (or tried to settle) its lease.</summary>
internal sealed class DeliveryOp(Guid id, string body, string lease, double receiveInvoked, double receiveCompleted)
{
    public Guid Id { get; } = id;

    public string Body { get; } = body;

    public string Lease { get; } = lease;

    public double ReceiveInvoked { get; } = receiveInvoked;

    public double ReceiveCompleted { get; } = receiveCompleted;

    public double? AckInvoked { get; set; }

    public double? AckCompleted { get; set; }

    public Outcome AckOutcome { get; set; } = Outcome.Unknown;
}

/// <summary>A KV compare-and-set: write <see cref="Key"/> only if it is at <see cref="ExpectedRevision"/> (0: absent).</summary>
internal sealed class CasOp(string key, long expectedRevision, string value, double invoked)
{
    public string Key { get; } = key;

    public long ExpectedRevision { get; } = expectedRevision;

    public string Value { get; } = value;

    public double Invoked { get; } = invoked;

    public double Completed { get; set; }

    public Outcome Outcome { get; set; } = Outcome.Unknown;

    public long Revision { get; set; }
}

internal sealed class ChatSendOp(Guid conversation, string clientMessageId, double invoked)
{
    public Guid Conversation { get; } = conversation;

    public string ClientMessageId { get; } = clientMessageId;

    public double Invoked { get; } = invoked;

    public double Completed { get; set; }

    public Outcome Outcome { get; set; } = Outcome.Unknown;

    public long Seq { get; set; }

    public Guid MessageId { get; set; }
}

/// <summary>A read receipt: the caller's read watermark moved to <see cref="ReadSeq"/>.</summary>
internal sealed class ReceiptOp(Guid conversation, long readSeq, double invoked)
{
    public Guid Conversation { get; } = conversation;

    public long ReadSeq { get; } = readSeq;

    public double Invoked { get; } = invoked;

    public Outcome Outcome { get; set; } = Outcome.Unknown;
}

internal sealed class NotificationOp(string title, double invoked)
{
    public string Title { get; } = title;

    public double Invoked { get; } = invoked;

    public Outcome Outcome { get; set; } = Outcome.Unknown;

    public Guid Id { get; set; }

    public Guid[] DeliveryIds { get; set; } = [];
}
