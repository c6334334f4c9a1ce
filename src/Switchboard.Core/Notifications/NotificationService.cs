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
    public const int MaxAttachments = 10;
    public const int MaxUrlLength = 2048;
    public const int MaxTemplateParameters = 100;

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

    /// <summary>
    /// Attachments are fetched by the providers, so each must be an absolute http(s) URL on a public host; a template
    /// needs a name, a language code and at most <see cref="MaxTemplateParameters"/> body parameters.
    /// </summary>
    private static void ValidateContent(Validation validation, NotificationRequest request, string prefix)
    {
        var attachments = request.Attachments ?? [];
        validation.Require(attachments.Count <= MaxAttachments, prefix + "attachments", $"Attach at most {MaxAttachments} files.");
        for (var i = 0; i < Math.Min(attachments.Count, MaxAttachments); i++)
        {
            var field = $"{prefix}attachments[{i}]";
            var a = attachments[i];
            if (a is null)
            {
                validation.Add(field, $"{field} must be an object with a url.");
                continue;
            }
            if (string.IsNullOrWhiteSpace(a.Url) || a.Url.Length > MaxUrlLength)
            {
                validation.Add(field + ".url", $"{field}.url is required, at most {MaxUrlLength} characters.");
            }
            else if (!Uri.TryCreate(a.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            {
                validation.Add(field + ".url", $"{field}.url must be an absolute http or https URL; the provider fetches the file from it.");
            }
            else if (uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && OutboundAddressGuard.IsInternal(ip)))
            {
                validation.Add(field + ".url", $"{field}.url points at a loopback or private address; the provider fetches the file, so give a public URL.");
            }
            validation
                .Require(a.MimeType is null || (a.MimeType.Length <= 255 && a.MimeType.Split('/') is [{ Length: > 0 }, { Length: > 0 }]),
                    field + ".mimeType", $"{field}.mimeType must be a MIME type such as image/png, at most 255 characters.")
                .Require(a.FileName is null || a.FileName.Length is >= 1 and <= 255, field + ".fileName", $"{field}.fileName must be 1–255 characters.")
                .Require(a.Caption is null || a.Caption.Length <= 1024, field + ".caption", $"{field}.caption must be at most 1024 characters.");
        }
        if (request.Template is { } template)
        {
            var field = prefix + "template";
            validation
                .Require(!string.IsNullOrWhiteSpace(template.Name) && template.Name.Length <= 512, field + ".name", "template.name is required, at most 512 characters.")
                .Require(!string.IsNullOrWhiteSpace(template.Language) && template.Language.Length <= 20, field + ".language",
                    "template.language is required: a language code such as en or en_US.")
                .Require((template.Parameters?.Count ?? 0) <= MaxTemplateParameters, field + ".parameters",
                    $"template.parameters takes at most {MaxTemplateParameters} values.")
                .Require(template.Parameters?.All(p => p is not null && p.Length <= 1024) ?? true, field + ".parameters",
                    "template.parameters must be strings of at most 1024 characters.");
        }
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
        ValidateContent(validation, request, prefix);
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
        IReadOnlyList<ChannelAttachment>? attachments = request.Attachments is { Count: > 0 } files ? files : null;
        var template = request.Template is { } asked ? asked with { Parameters = asked.Parameters ?? [] } : null;
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
                    DeliveryStatus.Accepted, null, null, null, now, now, attachments, template));
            }
        }
        var cooldown = TimeSpan.FromSeconds(request.CooldownSeconds ?? DefaultCooldownSeconds);
        return (notification, deliveries.ToArray(), cooldown);
    }
}
