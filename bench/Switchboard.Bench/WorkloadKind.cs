namespace Switchboard.Bench;

internal enum WorkloadKind
{
    /// N messages as fast as the window allows; msgs/s from the first publish to the last ack.
    Throughput,

    /// An open-loop publisher at a fixed offered rate; end-to-end latency percentiles.
    FixedRate,

    /// Concurrent authenticated GETs against Switchboard's REST API; requests/s and latency percentiles.
    RestRead,
}
