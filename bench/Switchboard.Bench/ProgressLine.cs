using System.Diagnostics;

namespace Switchboard.Bench;

/// A live one-line status on stderr, redrawn twice a second.
internal sealed class ProgressLine : IDisposable
{
    private readonly string _label;
    private readonly Counters? _counters;
    private readonly long _start;
    private readonly Timer _timer;
    private int _finished;

    /// <param name="counters">What to show; null for a load generator that counts for itself (only the time shows).</param>
    public ProgressLine(string label, Counters? counters, long start)
    {
        _label = label;
        _counters = counters;
        _start = start;
        _timer = new Timer(_ => Draw(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
    }

    public void Finish(string outcome)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 0)
        {
            _timer.Dispose();
            Console.Error.WriteLine($"\r{_label}: {outcome}".PadRight(100));
        }
    }

    private void Draw()
    {
        if (Volatile.Read(ref _finished) != 0)
        {
            return;
        }
        var seconds = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        if (_counters is null)
        {
            Console.Error.Write($"\r{_label}: running, {seconds:F1} s   ");
            return;
        }
        var acked = _counters.Acked;
        if (_counters.Total == 0)
        {
            Console.Error.Write($"\r{_label}: {acked} done, {acked / Math.Max(seconds, 0.001):F0}/s, {seconds:F1} s   ");
            return;
        }
        Console.Error.Write($"\r{_label}: published {_counters.Published}/{_counters.Total}, acked {acked}/{_counters.Total}, {acked / Math.Max(seconds, 0.001):F0} msg/s, {seconds:F1} s   ");
    }

    public void Dispose() => Finish("stopped");
}
