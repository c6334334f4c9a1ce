namespace Switchboard.Client;

/// <summary>The server process answering <c>GET /v1/stats</c>.</summary>
/// <param name="CpuPercent">CPU used over the last sample interval, as a percentage of all cores.</param>
/// <param name="WorkingSetBytes">Resident memory.</param>
/// <param name="GcHeapBytes">Managed heap in use.</param>
/// <param name="Threads">Operating-system threads.</param>
public sealed record ServerProcessStats(double CpuPercent, long WorkingSetBytes, long GcHeapBytes, int Threads);
