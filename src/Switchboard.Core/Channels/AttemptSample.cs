namespace Switchboard.Channels;

/// <summary>The part of an attempt the channel statistics need.</summary>
public sealed record AttemptSample(string Channel, bool Succeeded, long LatencyMs);
