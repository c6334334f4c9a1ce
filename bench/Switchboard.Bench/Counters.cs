using System.Diagnostics;

namespace Switchboard.Bench;

/// Shared tallies of one run; completes when every message has been acked (never when the total is 0: open-ended).
internal sealed class Counters(long total)
{
    private long _published;
    private long _acked;
    private long _endTimestamp;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Total => total;

    public long Published => Interlocked.Read(ref _published);

    public long Acked => Interlocked.Read(ref _acked);

    public long EndTimestamp => Interlocked.Read(ref _endTimestamp);

    public Task Done => _done.Task;

    public void AddPublished(long count) => Interlocked.Add(ref _published, count);

    public void AddAcked(long count)
    {
        if (Interlocked.Add(ref _acked, count) >= total && total > 0 && Interlocked.CompareExchange(ref _endTimestamp, Stopwatch.GetTimestamp(), 0) == 0)
        {
            _done.TrySetResult();
        }
    }
}
