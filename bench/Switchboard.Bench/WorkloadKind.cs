namespace Switchboard.Bench;

internal enum WorkloadKind
{
    /// N messages as fast as the window allows; msgs/s from the first publish to the last ack.
    Throughput,

    /// An open-loop publisher at a fixed offered rate; end-to-end latency percentiles.
    FixedRate,

    /// SignalR chat: one sender at a fixed rate into a room of many connections (delivery latency), then as many idle
    /// connections as allowed (connections held, server memory). Reported as W4 and W4c.
    ChatFanout,

    /// Concurrent authenticated GETs against Switchboard's REST API; requests/s and latency percentiles.
    RestRead,
}
