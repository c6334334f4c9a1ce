using System.Text.Json.Serialization;
using Switchboard.Broker;
using Switchboard.Errors;

namespace Switchboard.Server.Broker;

/// <summary>The JSON shapes of the broker API and their mapping to the core types. Bodies become bytes in <see cref="WireMessage"/>, the same mapping the hub and GraphQL use.</summary>
internal static class BrokerContracts
{
    public sealed record QueueRequest(
        string? Name,
        int? LeaseSeconds,
        int? MaxDeliveries,
        string? DeadLetterQueue,
        int? RetentionSeconds,
        int? MaxLength,
        int? DedupWindowSeconds,
        string? Ordering)
    {
        public QueueSettingsInput ToInput() => new()
        {
            LeaseSeconds = LeaseSeconds,
            MaxDeliveries = MaxDeliveries,
            DeadLetterQueue = DeadLetterQueue,
            RetentionSeconds = RetentionSeconds,
            MaxLength = MaxLength,
            DedupWindowSeconds = DedupWindowSeconds,
            Ordering = ParseOrdering(Ordering),
        };
    }

    public sealed record QueueResponse(
        string Name,
        int LeaseSeconds,
        int MaxDeliveries,
        string? DeadLetterQueue,
        int? RetentionSeconds,
        int? MaxLength,
        int DedupWindowSeconds,
        string Ordering,
        DateTimeOffset CreatedAt,
        StatsResponse? Stats)
    {
        public static QueueResponse From(QueueInfo queue, QueueStats? stats = null, BrokerActivity? activity = null) => new(
            queue.Name, queue.Settings.LeaseSeconds, queue.Settings.MaxDeliveries, queue.Settings.DeadLetterQueue,
            queue.Settings.RetentionSeconds, queue.Settings.MaxLength, queue.Settings.DedupWindowSeconds,
            FormatOrdering(queue.Settings.Ordering), queue.CreatedAt, stats is null ? null : StatsResponse.From(stats, activity));
    }

    public sealed record QueueListResponse(IReadOnlyList<QueueResponse> Queues);

    /// <param name="Totals">Events since this node started.</param>
    /// <param name="Rates">Events per second over the last minute on this node.</param>
    public sealed record StatsResponse(
        string Name, long Depth, long Ready, long InFlight, long Delayed, long DeadLetterDepth, double? OldestAgeSeconds,
        BrokerCounts? Totals,
        BrokerCounts? Rates)
    {
        public static StatsResponse From(QueueStats s, BrokerActivity? activity = null) => new(
            s.Name, s.Depth, s.Ready, s.InFlight, s.Delayed, s.DeadLetterDepth, s.OldestAgeSeconds,
            activity?.Totals(s.Name), activity?.Rates(s.Name));
    }

    public sealed record ServerStatsResponse(
        double UptimeSeconds, int Queues, long Depth, long Ready, long InFlight, long Delayed,
        BrokerCounts Totals, BrokerCounts Rates, ProcessFigures Process, IReadOnlyList<StatsResponse> PerQueue);

    public sealed record PurgeResponse(long Purged);

    public sealed record MessageRequest(
        string? Body,
        string? BodyEncoding,
        Dictionary<string, string>? Headers,
        int? DelaySeconds,
        int? TtlSeconds,
        int? Priority,
        string? GroupKey,
        string? IdempotencyKey)
    {
        public WireMessage ToWire() => new(Body, null, BodyEncoding, Headers, DelaySeconds, TtlSeconds, Priority, GroupKey, IdempotencyKey);
    }

    /// <summary>One message (the fields at the top level) or a batch in <c>messages</c>; topics add <c>subject</c>.</summary>
    public sealed record PublishRequest(
        string? Subject,
        string? Body,
        string? BodyEncoding,
        Dictionary<string, string>? Headers,
        int? DelaySeconds,
        int? TtlSeconds,
        int? Priority,
        string? GroupKey,
        string? IdempotencyKey,
        List<MessageRequest?>? Messages)
    {
        [JsonIgnore]
        public bool IsBatch => Messages is not null;

        public IReadOnlyList<OutgoingMessage> ToMessages() => Messages is null
            ? [new WireMessage(Body, null, BodyEncoding, Headers, DelaySeconds, TtlSeconds, Priority, GroupKey, IdempotencyKey).ToOutgoing()]
            : WireMessage.ToOutgoing(Messages.ConvertAll(m => m?.ToWire()));
    }

    public sealed record PublishedResponse(Guid Id, bool Duplicate);

    public sealed record PublishedBatchResponse(IReadOnlyList<PublishedResponse> Messages);

    public sealed record TopicPublishedResponse(Guid Id, bool Duplicate, IReadOnlyList<TopicDelivery> Deliveries);

    public sealed record TopicPublishedBatchResponse(IReadOnlyList<TopicPublishedResponse> Messages);

    public sealed record ReceiveRequest(int? Max, int? WaitSeconds, int? LeaseSeconds);

    public sealed record MessageResponse(
        Guid Id,
        string Body,
        string BodyEncoding,
        IReadOnlyDictionary<string, string> Headers,
        int DeliveryCount,
        DateTimeOffset EnqueuedAt,
        int Priority,
        string? GroupKey,
        string? Lease,
        DateTimeOffset? LeaseExpiresAt,
        string? State,
        DateTimeOffset? AvailableAt,
        string? SourceQueue,
        IReadOnlyList<DeliveryRecord>? History)
    {
        public static MessageResponse From(BrokerMessage m, bool peek)
        {
            var (body, encoding) = BodyCodec.ToText(m.Body.Span, m.Encoding);
            return new(
                m.Id,
                body,
                encoding,
                m.Headers,
                m.DeliveryCount,
                m.EnqueuedAt,
                m.Priority,
                m.GroupKey,
                m.Lease,
                m.LeaseExpiresAt,
                peek ? m.State : null,
                m.AvailableAt,
                m.SourceQueue,
                m.History.Count == 0 ? null : m.History);
        }
    }

    public sealed record MessageListResponse(IReadOnlyList<MessageResponse> Messages);

    public sealed record SettleRequest(List<string?>? Leases, int? DelaySeconds, string? Reason, bool? DeadLetter, int? LeaseSeconds);

    public sealed record SettleResultResponse(
        string Lease,
        bool Ok,
        string? Code,
        string? Detail,
        DateTimeOffset? LeaseExpiresAt);

    public sealed record SettleResponse(int Succeeded, int Failed, IReadOnlyList<SettleResultResponse> Results)
    {
        public static SettleResponse From(IReadOnlyList<SettleResult> results) => new(
            results.Count(r => r.Succeeded),
            results.Count(r => !r.Succeeded),
            results.Select(r => new SettleResultResponse(r.Lease, r.Succeeded, r.Error?.Code, r.Detail, r.LeaseExpiresAt)).ToArray());
    }

    public sealed record RedriveRequest(List<Guid>? Ids, string? Target, int? RatePerSecond);

    public sealed record RedriveResponse(int Moved);

    public sealed record TopicRequest(string? Name);

    public sealed record TopicListResponse(IReadOnlyList<TopicInfo> Topics);

    public sealed record SubscriptionRequest(string? Queue, string? Pattern, Dictionary<string, string>? Headers);

    public sealed record SubscriptionListResponse(IReadOnlyList<Subscription> Subscriptions);

    public static QueueOrdering? ParseOrdering(string? text) => text switch
    {
        null => null,
        "none" => QueueOrdering.None,
        "fifo" => QueueOrdering.Fifo,
        "fifo-by-group" or "fifoByGroup" => QueueOrdering.FifoByGroup,
        _ => throw SwitchboardException.Validation("ordering", $"ordering '{text}' is not known; use 'none', 'fifo' or 'fifo-by-group'."),
    };

    public static string FormatOrdering(QueueOrdering ordering) => ordering switch
    {
        QueueOrdering.Fifo => "fifo",
        QueueOrdering.FifoByGroup => "fifo-by-group",
        _ => "none",
    };
}
