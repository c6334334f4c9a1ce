using Cronos;

namespace Switchboard.Monitoring;

/// <summary>
/// Holds back notifications of incidents whose labels match every matcher, never their evaluation. A silence is
/// active from <see cref="StartsAt"/> to <see cref="EndsAt"/>; a maintenance window with <see cref="Cron"/> is active
/// for <see cref="DurationSeconds"/> from each occurrence (in <see cref="TimeZone"/>) between the two.
/// </summary>
public sealed record Silence
{
    public const string SilenceKind = "silence";
    public const string MaintenanceKind = "maintenance";

    public required Guid Id { get; init; }

    public string Kind { get; init; } = SilenceKind;

    public string? Name { get; init; }

    public IReadOnlyList<LabelMatcher> Matchers { get; init; } = [];

    public DateTimeOffset StartsAt { get; init; }

    public DateTimeOffset EndsAt { get; init; }

    public string? Cron { get; init; }

    public int? DurationSeconds { get; init; }

    public string? TimeZone { get; init; }

    public string? Comment { get; init; }

    public string CreatedBy { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public bool IsActive(DateTimeOffset now)
    {
        if (now < StartsAt || now >= EndsAt)
        {
            return false;
        }
        if (Cron is null)
        {
            return true;
        }
        var expression = CronExpression.Parse(Cron, Cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        var zone = TimeZone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var duration = TimeSpan.FromSeconds(DurationSeconds ?? 3600);
        // The window that covers now started at the last occurrence within one duration before now.
        var occurrence = expression.GetNextOccurrence(now - duration, zone, inclusive: true);
        return occurrence is { } start && start <= now && now < start + duration;
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Matchers.Count > 0 && Matchers.All(m => m.Matches(labels));
}
