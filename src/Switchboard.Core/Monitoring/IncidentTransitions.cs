using System.Globalization;

namespace Switchboard.Monitoring;

/// <summary>
/// Every incident transition as a pure function of the incident and the time: the new state, its timeline lines and
/// the notices it owes, with keys that name the transition (so computing it twice yields the same notices).
/// </summary>
public static class IncidentTransitions
{
    public const string Opened = "opened";
    public const string Repeated = "repeated";
    public const string Escalated = "escalated";
    public const string AcknowledgedKind = "acknowledged";
    public const string ResolvedKind = "resolved";
    public const string Commented = "comment";

    /// <summary>A firing incident, its first notice to the first route, and the alert state pointing at it.</summary>
    public static IncidentChange Open(Incident incident, string reason, AlertState? state, DateTimeOffset now)
    {
        var opened = incident with
        {
            Status = Incident.Firing, Level = 0, NotificationsAtLevel = 1, LastNotifiedAt = now, LevelSince = now, Version = 1,
        };
        IReadOnlyList<IncidentNotice> notices = opened.Routes.Count == 0
            ? [new IncidentNotice($"{opened.Id:N}:firing", opened.Id, "firing", null, now)]
            : [new IncidentNotice($"{opened.Id:N}:firing:0", opened.Id, "firing", opened.Routes[0], now)];
        return new IncidentChange(opened, null, [new IncidentEvent(opened.Id, now, Opened, reason)], notices,
            SetState: state is null ? null : state with { IncidentId = opened.Id });
    }

    /// <summary>
    /// What a firing, unacknowledged incident owes at <paramref name="now"/>: an escalation to the next route (after
    /// its repeats or its time at this level), a repeat at this level, or nothing.
    /// </summary>
    public static IncidentChange? Tick(Incident incident, DateTimeOffset now)
    {
        if (incident.Status != Incident.Firing || incident.Routes.Count == 0)
        {
            return null;
        }
        var repeatDue = incident.LastNotifiedAt is not { } last || now - last >= TimeSpan.FromSeconds(incident.RepeatIntervalSeconds);
        var canEscalate = incident.Level + 1 < incident.Routes.Count;
        string? why = null;
        if (canEscalate && incident.EscalateAfterSeconds is { } seconds && now - incident.LevelSince >= TimeSpan.FromSeconds(seconds))
        {
            why = $"unacknowledged for {(now - incident.LevelSince).TotalSeconds:0} s at {incident.Routes[incident.Level]} (escalate after {seconds} s)";
        }
        else if (canEscalate && repeatDue && incident.EscalateAfterRepeats is { } repeats && incident.NotificationsAtLevel > repeats)
        {
            why = $"unacknowledged after {incident.NotificationsAtLevel - 1} repeat(s) at {incident.Routes[incident.Level]} (escalate after {repeats})";
        }
        if (why is not null)
        {
            var level = incident.Level + 1;
            var escalated = incident with
            {
                Level = level, NotificationsAtLevel = 1, LevelSince = now, LastNotifiedAt = now, Version = incident.Version + 1,
            };
            return new IncidentChange(escalated, incident.Version,
                [new IncidentEvent(incident.Id, now, Escalated, $"Escalated to {incident.Routes[level]}: {why}.", Route: incident.Routes[level])],
                [new IncidentNotice($"{incident.Id:N}:escalated:{level}", incident.Id, "escalated", incident.Routes[level], now)]);
        }
        if (!repeatDue)
        {
            return null;
        }
        var count = incident.NotificationsAtLevel + 1;
        var repeated = incident with { NotificationsAtLevel = count, LastNotifiedAt = now, Version = incident.Version + 1 };
        var route = incident.Routes[incident.Level];
        return new IncidentChange(repeated, incident.Version,
            [new IncidentEvent(incident.Id, now, Repeated, $"Still firing and unacknowledged after {incident.RepeatIntervalSeconds} s: repeat {count - 1} to {route}.", Route: route)],
            [new IncidentNotice($"{incident.Id:N}:repeat:{incident.Level}:{count}", incident.Id, "repeat", route, now)]);
    }

    public static IncidentChange? Acknowledge(Incident incident, string by, string? comment, DateTimeOffset now)
    {
        if (incident.Status != Incident.Firing)
        {
            return null;
        }
        var acked = incident with { Status = Incident.Acknowledged, AcknowledgedAt = now, AcknowledgedBy = by, Version = incident.Version + 1 };
        var message = $"Acknowledged by {by}: escalation and repeats stop." + (comment is null ? "" : $" {comment}");
        return new IncidentChange(acked, incident.Version, [new IncidentEvent(incident.Id, now, AcknowledgedKind, message, by)],
            [new IncidentNotice($"{incident.Id:N}:acknowledged", incident.Id, "acknowledged", null, now)]);
    }

    /// <summary>Resolves the incident and owes a "resolved" notice to every route that was told it fired.</summary>
    public static IncidentChange? Resolve(Incident incident, string reason, string? by, DateTimeOffset now, AlertStateKey? clear)
    {
        if (!incident.IsOpen)
        {
            return null;
        }
        var resolved = incident with { Status = Incident.Resolved, ResolvedAt = now, ResolvedBy = by, Version = incident.Version + 1 };
        IReadOnlyList<IncidentNotice> notices = incident.Routes.Count == 0
            ? [new IncidentNotice($"{incident.Id:N}:resolved", incident.Id, "resolved", null, now)]
            : Enumerable.Range(0, incident.Level + 1)
                .Select(l => new IncidentNotice($"{incident.Id:N}:resolved:{l}", incident.Id, "resolved", incident.Routes[l], now)).ToArray();
        return new IncidentChange(resolved, incident.Version, [new IncidentEvent(incident.Id, now, ResolvedKind, reason, by)], notices, ClearState: clear);
    }

    /// <summary>Fills <c>{{name}}</c> placeholders from <paramref name="values"/>; unknown ones stay as they are.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        var result = template;
        foreach (var (name, value) in values)
        {
            result = result.Replace("{{" + name + "}}", value, StringComparison.Ordinal);
        }
        return result;
    }

    public static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
