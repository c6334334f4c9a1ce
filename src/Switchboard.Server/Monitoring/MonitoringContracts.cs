using Switchboard.Monitoring;
using Switchboard.Notifications;

namespace Switchboard.Server.Monitoring;

/// <summary>The JSON shapes of the monitoring API; a field left out takes the documented default.</summary>
internal static class MonitoringContracts
{
    public sealed record MonitorRequest(
        string? Id,
        string? Name,
        string? Kind,
        bool? Enabled,
        int? IntervalSeconds,
        int? TimeoutSeconds,
        int? Retries,
        Dictionary<string, string>? Labels,
        bool? DefaultRules,
        string? Url,
        string? Method,
        Dictionary<string, string>? Headers,
        string? Body,
        List<string>? ExpectedStatuses,
        string? Keyword,
        bool? FollowRedirects,
        bool? VerifyTls,
        string? Host,
        int? Port,
        int? ExpiryDays,
        List<string>? ExpectedAddresses,
        int? GraceSeconds,
        string? Queue,
        string? Metric,
        double? Max)
    {
        public MonitorSpec ToSpec(string? id)
        {
            var defaults = new MonitorSpec { Id = "", Kind = "" };
            return new MonitorSpec
            {
                Id = id ?? Id ?? "",
                Name = Name,
                Kind = Kind ?? "",
                Enabled = Enabled ?? defaults.Enabled,
                IntervalSeconds = IntervalSeconds ?? defaults.IntervalSeconds,
                TimeoutSeconds = TimeoutSeconds ?? defaults.TimeoutSeconds,
                Retries = Retries ?? defaults.Retries,
                Labels = Labels ?? [],
                DefaultRules = DefaultRules ?? defaults.DefaultRules,
                Url = Url,
                Method = Method?.ToUpperInvariant() ?? defaults.Method,
                Headers = Headers ?? [],
                Body = Body,
                ExpectedStatuses = ExpectedStatuses ?? [],
                Keyword = Keyword,
                FollowRedirects = FollowRedirects ?? defaults.FollowRedirects,
                VerifyTls = VerifyTls ?? defaults.VerifyTls,
                Host = Host,
                Port = Port,
                ExpiryDays = ExpiryDays ?? defaults.ExpiryDays,
                ExpectedAddresses = ExpectedAddresses ?? [],
                GraceSeconds = GraceSeconds ?? defaults.GraceSeconds,
                Queue = Queue,
                Metric = Metric,
                Max = Max,
            };
        }
    }

    public sealed record MonitorStateResponse(string Status, int ConsecutiveFailures, DateTimeOffset? LastCheckAt, DateTimeOffset? ChangedAt, string? LastError);

    public sealed record MonitorResponse(MonitorSpec Monitor, MonitorStateResponse State)
    {
        public static MonitorResponse From(MonitorDetails details) => new(details.Monitor, new MonitorStateResponse(details.State.Status,
            details.State.ConsecutiveFailures, details.State.LastCheckAt, details.State.ChangedAt, details.State.LastError));
    }

    public sealed record MonitorListResponse(IReadOnlyList<MonitorResponse> Items);

    public sealed record MonitorResultsResponse(string MonitorId, string Step, IReadOnlyList<MonitorResult> Results, IReadOnlyList<MonitorRollup> Rollups);

    public sealed record MonitorStatsResponse(string MonitorId, double WindowSeconds, int Checks, int UpChecks, int Errors, double SuccessRate, double ErrorRate,
        double UptimePercent, double ChecksPerMinute, double LatencyAvgMs, double LatencyP50Ms, double LatencyP95Ms, double LatencyP99Ms)
    {
        public static MonitorStatsResponse From(MonitorStats s) => new(s.MonitorId, s.Window.TotalSeconds, s.Checks, s.UpChecks, s.Errors, s.SuccessRate,
            s.ErrorRate, s.UptimePercent, s.ChecksPerMinute, s.LatencyAvg, s.LatencyP50, s.LatencyP95, s.LatencyP99);
    }

    public sealed record AlertRuleRequest(
        string? Id,
        string? Name,
        bool? Enabled,
        string? Signal,
        string? Operator,
        double? Threshold,
        int? WindowSeconds,
        int? ForSeconds,
        string? Severity,
        List<string>? Monitors,
        List<string>? MonitorKinds,
        Dictionary<string, string>? MatchLabels,
        Dictionary<string, string>? Labels,
        Dictionary<string, string>? Annotations,
        List<string>? Routes,
        int? RepeatIntervalSeconds,
        int? EscalateAfterRepeats,
        int? EscalateAfterSeconds)
    {
        public AlertRule ToRule(string? id)
        {
            var defaults = new AlertRule { Id = "", Signal = "" };
            return new AlertRule
            {
                Id = id ?? Id ?? "",
                Name = Name,
                Enabled = Enabled ?? true,
                Signal = Signal ?? "",
                Operator = Operator ?? defaults.Operator,
                Threshold = Threshold ?? double.NaN,
                WindowSeconds = WindowSeconds ?? defaults.WindowSeconds,
                ForSeconds = ForSeconds ?? defaults.ForSeconds,
                Severity = Severity ?? defaults.Severity,
                Monitors = Monitors ?? [],
                MonitorKinds = MonitorKinds ?? [],
                MatchLabels = MatchLabels ?? [],
                Labels = Labels ?? [],
                Annotations = Annotations ?? [],
                Routes = Routes ?? [],
                RepeatIntervalSeconds = RepeatIntervalSeconds ?? defaults.RepeatIntervalSeconds,
                EscalateAfterRepeats = EscalateAfterRepeats,
                EscalateAfterSeconds = EscalateAfterSeconds,
            };
        }
    }

    public sealed record AlertRuleListResponse(IReadOnlyList<AlertRule> Items);

    public sealed record IncidentListResponse(IReadOnlyList<Incident> Items, string? NextCursor);

    /// <summary>What became of one delivery of a notification: its status now and each attempt, in order.</summary>
    public sealed record DeliveryOutcomeResponse(string Route, string Channel, string Status, string? ErrorCode, string? ErrorMessage,
        IReadOnlyList<AttemptResponse> Attempts);

    public sealed record AttemptResponse(string Channel, DateTimeOffset At, string Outcome, string? ErrorCode, string? ErrorMessage);

    public sealed record TimelineEntryResponse(long Seq, DateTimeOffset At, string Kind, string Message, string? Actor, string? Route, Guid? NotificationId,
        IReadOnlyList<DeliveryOutcomeResponse>? Deliveries);

    public sealed record IncidentDetailResponse(Incident Incident, IReadOnlyList<TimelineEntryResponse> Timeline)
    {
        public static IncidentDetailResponse From(IncidentDetails details) => new(details.Incident, details.Timeline.Select(e =>
            new TimelineEntryResponse(e.Seq, e.At, e.Kind, e.Message, e.Actor, e.Route, e.NotificationId,
                e.NotificationId is { } id && details.Notifications.TryGetValue(id, out var n) ? Deliveries(n) : null)).ToArray());

        private static DeliveryOutcomeResponse[] Deliveries(NotificationDetails notification)
        {
            var attempts = notification.Attempts.ToLookup(a => a.DeliveryId);
            return notification.Deliveries.Select(d => new DeliveryOutcomeResponse(string.Join(" > ", d.Route), d.Channel, d.Status, d.ErrorCode, d.ErrorMessage,
                attempts[d.Id].Select(a => new AttemptResponse(a.Channel, a.At, a.Outcome, a.ErrorCode, a.ErrorMessage)).ToArray())).ToArray();
        }
    }

    public sealed record IncidentActionRequest(string? Comment);

    public sealed record CommentRequest(string? Text);

    public sealed record IncidentEventResponse(DateTimeOffset At, string Kind, string Message, string? Actor);

    public sealed record MatcherRequest(string? Name, string? Operator, string? Value);

    public sealed record SilenceRequest(
        string? Kind,
        string? Name,
        List<MatcherRequest?>? Matchers,
        DateTimeOffset? StartsAt,
        DateTimeOffset? EndsAt,
        string? Cron,
        int? DurationSeconds,
        string? TimeZone,
        string? Comment)
    {
        public Silence ToSilence(DateTimeOffset now) => new()
        {
            Id = Guid.Empty,
            Kind = Kind ?? (Cron is null ? Silence.SilenceKind : Silence.MaintenanceKind),
            Name = Name,
            Matchers = (Matchers ?? []).Select(m => m is null ? null! : new LabelMatcher(m.Name ?? "", m.Operator ?? "=", m.Value!)).ToArray(),
            StartsAt = StartsAt ?? now,
            EndsAt = EndsAt ?? DateTimeOffset.MinValue,
            Cron = Cron,
            DurationSeconds = DurationSeconds,
            TimeZone = TimeZone,
            Comment = Comment,
        };
    }

    public sealed record SilenceListResponse(IReadOnlyList<Silence> Items);

    /// <summary>One alert of Alertmanager's v2 API (<c>POST /api/v2/alerts</c> takes an array of them).</summary>
    public sealed record AlertmanagerAlertRequest(Dictionary<string, string>? Labels, Dictionary<string, string>? Annotations, DateTimeOffset? StartsAt,
        DateTimeOffset? EndsAt, string? GeneratorUrl)
    {
        public AlertmanagerAlert ToAlert() => new(Labels ?? [], Annotations, StartsAt is { Year: > 1 } s ? s : null, EndsAt is { Year: > 1 } e ? e : null,
            GeneratorUrl);
    }

    public sealed record StatusResponse(
        string Status,
        DateTimeOffset At,
        string Storage,
        string StorageStatus,
        bool LeadsMonitoring,
        MonitorCounts Monitors,
        IncidentCounts Incidents,
        ProcessStatus Process,
        HostStatus Host);

    public sealed record MonitorCounts(int Total, int Up, int Down, int Pending, double UptimePercent24h);

    public sealed record IncidentCounts(int Firing, int Acknowledged);

    public sealed record ProcessStatus(double UptimeSeconds, double CpuSeconds, double CpuPercent, long WorkingSetBytes, long GcHeapBytes, int Threads);

    public sealed record HostStatus(string MachineName, int ProcessorCount, long TotalMemoryBytes, string Os);
}
