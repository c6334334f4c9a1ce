namespace Switchboard.Channels;

/// <summary>One instance's delivery numbers over the last day.</summary>
public sealed record ChannelStats(
    string Channel,
    string? Type,
    bool Enabled,
    string Circuit,
    long Sent,
    long Failed,
    double? SuccessRate,
    long? P50LatencyMs,
    long? P95LatencyMs);
