namespace Switchboard.Monitoring;

/// <summary>One alert as Alertmanager's v2 API takes it (<c>POST /api/v2/alerts</c>).</summary>
public sealed record AlertmanagerAlert(IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string>? Annotations, DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt, string? GeneratorUrl)
{
    /// <summary>The alert's identity: its sorted labels, hashed, as Alertmanager fingerprints it.</summary>
    public string Fingerprint => StableId.From(string.Join('\n', Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")))
        .ToString("N")[..16];
}
