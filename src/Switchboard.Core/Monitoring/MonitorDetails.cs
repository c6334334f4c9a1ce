namespace Switchboard.Monitoring;

/// <summary>A monitor with where it stands.</summary>
public sealed record MonitorDetails(MonitorSpec Monitor, MonitorState State);
