namespace Switchboard.Channels;

/// <summary>A notification as stored; its deliveries hold where it went.</summary>
public sealed record NotificationRecord(
    Guid Id,
    string Title,
    string Content,
    string Severity,
    int Priority,
    string? DedupKey,
    string CreatedBy,
    DateTimeOffset CreatedAt);
