namespace Switchboard.Server.WebConsole.Live;

/// <summary>This node's broker rates (per second) and process figures at one moment.</summary>
public sealed record OverviewSample(DateTimeOffset At, double Published, double Delivered, double Acked, double CpuPercent, long WorkingSetBytes);
