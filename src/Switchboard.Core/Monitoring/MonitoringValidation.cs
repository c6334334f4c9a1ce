using System.Text.RegularExpressions;
using Switchboard.Errors;

namespace Switchboard.Monitoring;

/// <summary>
/// The checks on a monitor, a rule and a silence, shared by the API (field names) and the configuration validator
/// (configuration keys): each method puts its prefix before every field.
/// </summary>
public static partial class MonitoringValidation
{
    public const int MaxLabels = 32;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    public static partial Regex IdPattern();

    public static void Monitor(Validation v, MonitorSpec m, string prefix)
    {
        v.Require(m.Id is not null && IdPattern().IsMatch(m.Id), prefix + "id", "id must be 1–64 characters of a–z, 0–9, '.', '_' and '-', starting with a letter or digit.")
            .Require(MonitorKinds.All.Contains(m.Kind), prefix + "kind", $"kind must be one of {string.Join(", ", MonitorKinds.All)}.")
            .Require(m.IntervalSeconds is >= 1 and <= 86_400, prefix + "intervalSeconds", "intervalSeconds must be 1–86400.")
            .Require(m.TimeoutSeconds >= 1 && m.TimeoutSeconds <= 120, prefix + "timeoutSeconds", "timeoutSeconds must be 1–120.")
            .Require(m.Retries is >= 0 and <= 20, prefix + "retries", "retries must be 0–20.")
            .Require(m.Name is null || m.Name.Length <= 200, prefix + "name", "name must be at most 200 characters.");
        Labels(v, m.Labels, prefix + "labels");
        switch (m.Kind)
        {
            case MonitorKinds.Http:
                v.Require(Uri.TryCreate(m.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https", prefix + "url", "url must be an absolute http or https URL.")
                    .Require(m.Method is "GET" or "HEAD" or "POST" or "PUT" or "PATCH" or "DELETE" or "OPTIONS", prefix + "method",
                        "method must be GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS.")
                    .Require(m.ExpectedStatuses.All(s => StatusRange.TryParse(s, out _)), prefix + "expectedStatuses",
                        "expectedStatuses takes codes or ranges such as 200, 301 or 200-299.")
                    .Require(m.Keyword is null || m.Keyword.Length is >= 1 and <= 1024, prefix + "keyword", "keyword must be 1–1024 characters.")
                    .Require(m.Body is null || m.Body.Length <= 65_536, prefix + "body", "body must be at most 65536 characters.")
                    .Require(m.Headers.Count <= 32 && m.Headers.Keys.All(h => h.Length is >= 1 and <= 256), prefix + "headers", "headers takes at most 32 names.");
                break;
            case MonitorKinds.Tcp or MonitorKinds.Tls:
                v.Require(!string.IsNullOrWhiteSpace(m.Host) && m.Host.Length <= 253, prefix + "host", "host is required.")
                    .Require(m.Kind == MonitorKinds.Tls && m.Port is null || m.Port is >= 1 and <= 65_535, prefix + "port", "port must be 1–65535.")
                    .Require(m.ExpiryDays is >= 0 and <= 3650, prefix + "expiryDays", "expiryDays must be 0–3650.");
                break;
            case MonitorKinds.Dns:
                v.Require(!string.IsNullOrWhiteSpace(m.Host) && m.Host.Length <= 253, prefix + "host", "host is the name to resolve.")
                    .Require(m.ExpectedAddresses.All(a => System.Net.IPAddress.TryParse(a, out _)), prefix + "expectedAddresses",
                        "expectedAddresses must be IP addresses.");
                break;
            case MonitorKinds.Heartbeat:
                v.Require(m.GraceSeconds is >= 1 and <= 7 * 86_400, prefix + "graceSeconds", "graceSeconds must be 1–604800.");
                break;
            case MonitorKinds.Internal:
                v.Require(!string.IsNullOrWhiteSpace(m.Queue), prefix + "queue", "queue names the broker queue to watch.")
                    .Require(m.Metric is InternalMetrics.QueueDepth or InternalMetrics.DeadLetterDepth or InternalMetrics.OldestAgeSeconds, prefix + "metric",
                        $"metric must be {InternalMetrics.QueueDepth}, {InternalMetrics.DeadLetterDepth} or {InternalMetrics.OldestAgeSeconds}.")
                    .Require(m.Max is >= 0, prefix + "max", "max is the highest healthy value of the metric (0 or more).");
                break;
        }
    }

    public static void Rule(Validation v, AlertRule r, string prefix)
    {
        v.Require(r.Id is not null && IdPattern().IsMatch(r.Id), prefix + "id", "id must be 1–64 characters of a–z, 0–9, '.', '_' and '-', starting with a letter or digit.")
            .Require(AlertSignals.All.Contains(r.Signal), prefix + "signal", $"signal must be one of {string.Join(", ", AlertSignals.All)}.")
            .Require(AlertSignals.Operators.Contains(r.Operator), prefix + "operator", $"operator must be one of {string.Join(" ", AlertSignals.Operators)}.")
            .Require(double.IsFinite(r.Threshold), prefix + "threshold", "threshold must be a number.")
            .Require(r.WindowSeconds is >= 10 and <= 7 * 86_400, prefix + "windowSeconds", "windowSeconds must be 10–604800.")
            .Require(r.ForSeconds is >= 0 and <= 86_400, prefix + "forSeconds", "forSeconds must be 0–86400.")
            .Require(AlertSignals.Severities.Contains(r.Severity), prefix + "severity", "severity must be info, warning or critical.")
            .Require(r.RepeatIntervalSeconds is >= 1 and <= 7 * 86_400, prefix + "repeatIntervalSeconds", "repeatIntervalSeconds must be 1–604800.")
            .Require(r.EscalateAfterRepeats is null or >= 0 and <= 100, prefix + "escalateAfterRepeats", "escalateAfterRepeats must be 0–100.")
            .Require(r.EscalateAfterSeconds is null or >= 1 and <= 7 * 86_400, prefix + "escalateAfterSeconds", "escalateAfterSeconds must be 1–604800.")
            .Require(r.Routes.Count <= 10, prefix + "routes", "routes takes at most 10 escalation levels.")
            .Require(r.MonitorKinds.All(MonitorKinds.All.Contains), prefix + "monitorKinds", $"monitorKinds takes {string.Join(", ", MonitorKinds.All)}.");
        Labels(v, r.Labels, prefix + "labels");
        Labels(v, r.MatchLabels, prefix + "matchLabels");
        Labels(v, r.Annotations, prefix + "annotations");
    }

    public static void Silence(Validation v, Silence s, string prefix)
    {
        v.Require(s.Kind is Monitoring.Silence.SilenceKind or Monitoring.Silence.MaintenanceKind, prefix + "kind", "kind must be silence or maintenance.")
            .Require(s.Matchers.Count is >= 1 and <= 32, prefix + "matchers", "matchers takes 1–32 label matchers.")
            .Require(s.EndsAt > s.StartsAt, prefix + "endsAt", "endsAt must be after startsAt.")
            .Require(s.Comment is null || s.Comment.Length <= 1000, prefix + "comment", "comment must be at most 1000 characters.")
            .Require(s.DurationSeconds is null or >= 1 and <= 7 * 86_400, prefix + "durationSeconds", "durationSeconds must be 1–604800.");
        for (var i = 0; i < s.Matchers.Count; i++)
        {
            var m = s.Matchers[i];
            var field = $"{prefix}matchers[{i}]";
            v.Require(m is not null && !string.IsNullOrWhiteSpace(m.Name) && LabelMatcher.Operators.Contains(m.Operator) && m.Value is not null, field,
                $"{field} needs a name, an operator ({string.Join(" ", LabelMatcher.Operators)}) and a value.");
            if (m is { Operator: "=~" or "!~", Value: not null })
            {
                try
                {
                    _ = new Regex(m.Value, RegexOptions.None, TimeSpan.FromMilliseconds(100));
                }
                catch (ArgumentException)
                {
                    v.Add(field, $"{field}.value is not a valid regular expression.");
                }
            }
        }
        if (s.Cron is not null)
        {
            try
            {
                _ = Cronos.CronExpression.Parse(s.Cron, s.Cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6
                    ? Cronos.CronFormat.IncludeSeconds : Cronos.CronFormat.Standard);
            }
            catch (Cronos.CronFormatException ex)
            {
                v.Add(prefix + "cron", $"cron is not a cron expression: {ex.Message}");
            }
        }
        if (s.TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(s.TimeZone, out _))
        {
            v.Add(prefix + "timeZone", $"timeZone '{s.TimeZone}' is not a known time zone id such as Europe/Berlin.");
        }
    }

    private static void Labels(Validation v, IReadOnlyDictionary<string, string> labels, string field) =>
        v.Require(labels.Count <= MaxLabels && labels.All(l => l.Key.Length is >= 1 and <= 128 && l.Value is not null && l.Value.Length <= 1024), field,
            $"{field} takes at most {MaxLabels} entries, names of 1–128 characters and values of at most 1024.");
}
