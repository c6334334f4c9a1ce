using Microsoft.Extensions.Options;
using Switchboard.Broker;
using Switchboard.Channels;
using Switchboard.Errors;
using Switchboard.Identity;

namespace Switchboard.Notifications;

/// <summary>
/// The production notifier: validates a notification, suppresses a repeat of its <c>dedupKey</c> within the cooldown,
/// stores one delivery per (route, recipient) and publishes one job per delivery to the first enabled instance of its
/// route, with the broker priority of its severity. Callers need <c>notifications:send</c>.
/// </summary>
public sealed class NotificationService(
    IDeliveryStore store,
    BrokerService broker,
    ChannelRegistry registry,
    TimeProvider time,
    IOptionsMonitor<BrokerOptions> brokerOptions)
{
    public const string Area = "notifications";
    public const string Send = "send";
    public const int MaxBatch = 1000;
    public const int MaxRecipients = 1000;
    public const int DefaultCooldownSeconds = 300;

    public static IReadOnlyList<string> Severities { get; } = ["info", "warning", "critical"];

    public async Task<NotificationAccepted> SendAsync(Caller caller, NotificationRequest request, CancellationToken cancellationToken = default) =>
        (await SendManyAsync(caller, [request], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Sends a batch: each notification is stored (or suppressed) on its own; their jobs are published together.</summary>
    public async Task<IReadOnlyList<NotificationAccepted>> SendManyAsync(Caller caller, IReadOnlyList<NotificationRequest> requests,
        CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Send);
        if (requests.Count is 0 or > MaxBatch)
        {
            throw SwitchboardException.Validation("notifications", $"Send 1–{MaxBatch} notifications.");
        }
        var prepared = requests.Select((r, i) => Prepare(caller, r, requests.Count == 1 ? "" : $"notifications[{i}].")).ToArray();
        var results = await Task.WhenAll(prepared.Select(async p =>
        {
            var duplicateOf = await store.CreateNotificationAsync(p.Notification, p.Deliveries, p.Notification.DedupKey,
                p.Notification.CreatedAt + p.Cooldown, p.Notification.CreatedAt, cancellationToken).ConfigureAwait(false);
            return duplicateOf is { } earlier
                ? new NotificationAccepted(earlier, true, earlier, [])
                : new NotificationAccepted(p.Notification.Id, false, null, p.Deliveries);
        })).ConfigureAwait(false);

        var deliveries = results.SelectMany(r => r.Deliveries).ToArray();
        var chunk = Math.Max(1, brokerOptions.CurrentValue.MaxBatchMessages);
        foreach (var queue in deliveries.GroupBy(d => d.Channel, StringComparer.Ordinal))
        {
            foreach (var part in queue.Chunk(chunk))
            {
                await broker.PublishAsync(BrokerService.System, DeliveryJob.QueueFor(queue.Key),
                    part.Select(d => new DeliveryTicket(d.Id, d.Hop).ToMessage(d.Priority, DeliveryProcessor.FirstKey(d))).ToArray(),
                    cancellationToken).ConfigureAwait(false);
            }
        }
        if (deliveries.Length > 0)
        {
            await store.MarkAsync(deliveries.Select(d => d.Id).ToArray(), DeliveryStatus.Accepted, DeliveryStatus.Queued, time.GetUtcNow(),
                cancellationToken).ConfigureAwait(false);
        }
        return results.Select(r => r with { Deliveries = r.Deliveries.Select(d => d with { Status = DeliveryStatus.Queued }).ToArray() }).ToArray();
    }

    public async Task<NotificationDetails> GetAsync(Caller caller, Guid id, CancellationToken cancellationToken = default)
    {
        caller.Demand(Area, Send);
        var notification = await store.GetNotificationAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new SwitchboardException(ErrorCodes.NotificationNotFound, $"No notification {id} exists.");
        if (caller.Role != Roles.Admin && notification.CreatedBy != caller.Id)
        {
            throw new SwitchboardException(ErrorCodes.NotificationNotFound, $"No notification {id} exists.");
        }
        var deliveries = await store.ListDeliveriesAsync(id, cancellationToken).ConfigureAwait(false);
        var attempts = await store.ListAttemptsAsync(deliveries.Select(d => d.Id).ToArray(), cancellationToken).ConfigureAwait(false);
        return new NotificationDetails(notification, deliveries, attempts, NotSentReason(deliveries, attempts));
    }

    private static string? NotSentReason(IReadOnlyList<Delivery> deliveries, IReadOnlyList<DeliveryAttempt> attempts)
    {
        if (deliveries.Count == 0)
        {
            return "The notification named no deliverable channel.";
        }
        if (deliveries.Any(d => DeliveryStatus.Rank(d.Status) is >= 2 and < 9))
        {
            return null;
        }
        if (deliveries.All(d => d.Status == DeliveryStatus.Failed))
        {
            var errors = deliveries.Select(d => $"{d.Channel}: {d.ErrorCode} {d.ErrorMessage}".Trim()).Distinct().Take(5);
            return "Every delivery failed after trying its whole route — " + string.Join("; ", errors);
        }
        var last = attempts.LastOrDefault(a => !a.Succeeded);
        return last is null
            ? "Waiting in the delivery queue for a channel worker."
            : $"Not sent yet; the last attempt through {last.Channel} ended {last.Outcome} ({last.ErrorCode}).";
    }

    private (NotificationRecord Notification, Delivery[] Deliveries, TimeSpan Cooldown) Prepare(Caller caller, NotificationRequest request, string prefix)
    {
        var severity = request.Severity ?? "info";
        var validation = new Validation()
            .Require(!string.IsNullOrWhiteSpace(request.Title) && request.Title.Length <= 200, prefix + "title", "title is required, at most 200 characters.")
            .Require(!string.IsNullOrEmpty(request.Content) && request.Content.Length <= 32_768, prefix + "content", "content is required, at most 32768 characters.")
            .Require(Severities.Contains(severity), prefix + "severity", "severity must be info, warning or critical.")
            .Require(request.Priority is null or >= 0 and <= 9, prefix + "priority", "priority must be 0–9 (9 first).")
            .Require((request.Channels?.Count ?? 0) > 0 || request.Route is not null, prefix + "channels", "Name 'channels' (instances, routes or 'all') or a 'route'.")
            .Require((request.Channels?.Count ?? 0) <= 50, prefix + "channels", "Name at most 50 channels.")
            .Require((request.Recipients?.Count ?? 0) <= MaxRecipients, prefix + "recipients", $"Send to at most {MaxRecipients} recipients per notification.")
            .Require(request.DedupKey is null || request.DedupKey.Length is >= 1 and <= 200, prefix + "dedupKey", "dedupKey must be 1–200 characters.")
            .Require(request.CooldownSeconds is null or >= 0 and <= 7 * 24 * 3600, prefix + "cooldownSeconds", "cooldownSeconds must be 0–604800.");
        validation.ThrowIfInvalid();

        var names = (request.Channels ?? []).Concat(request.Route is null ? [] : [request.Route]).Distinct(StringComparer.Ordinal);
        var chains = registry.Resolve(names, prefix + "channels");
        var now = time.GetUtcNow();
        var priority = request.Priority ?? DeliveryTicket.PriorityFor(severity);
        var notification = new NotificationRecord(Guid.CreateVersion7(now), request.Title!, request.Content!, severity, priority, request.DedupKey,
            caller.Id, now);
        IReadOnlyList<IReadOnlyDictionary<string, string>> recipients = request.Recipients is { Count: > 0 } given
            ? given
            : [new Dictionary<string, string>()];
        var deliveries = new List<Delivery>();
        foreach (var chain in chains)
        {
            var first = -1;
            for (var i = 0; i < chain.Count && first < 0; i++)
            {
                first = registry.IsEnabled(chain[i]) ? i : -1;
            }
            if (first < 0)
            {
                throw new SwitchboardException(ErrorCodes.ChannelUnavailable,
                    $"{prefix}channels: every instance of [{string.Join(", ", chain)}] is disabled; enable one or choose another route.");
            }
            foreach (var recipient in recipients)
            {
                deliveries.Add(new Delivery(Guid.CreateVersion7(now), notification.Id, null, null, null, chain, first,
                    new Dictionary<string, string>(recipient, StringComparer.Ordinal), notification.Title, notification.Content, severity, priority,
                    DeliveryStatus.Accepted, null, null, null, now, now));
            }
        }
        var cooldown = TimeSpan.FromSeconds(request.CooldownSeconds ?? DefaultCooldownSeconds);
        return (notification, deliveries.ToArray(), cooldown);
    }
}
