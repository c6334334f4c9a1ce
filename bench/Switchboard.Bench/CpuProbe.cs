using System.Globalization;

namespace Switchboard.Bench;

/// User plus system CPU time of one process, or of every process in a process group (a peer started with setsid:
/// RabbitMQ's start script, beam and its helpers), read from /proc.
internal sealed class CpuProbe
{
    // USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    private readonly int _pid;
    private readonly bool _group;
    private readonly bool _children;

    private CpuProbe(int pid, bool group, bool children = false)
    {
        _pid = pid;
        _group = group;
        _children = children;
    }

    public static CpuProbe Self { get; } = new(Environment.ProcessId, group: false);

    /// The CPU of this process's children that have exited and been waited for (a load generator such as wrk).
    public static CpuProbe ChildrenOfSelf { get; } = new(Environment.ProcessId, group: false, children: true);

    public static CpuProbe ForProcess(int pid) => new(pid, group: false);

    /// The process group led by the PID in <paramref name="pidFile"/>, or null when the file or process is missing.
    public static CpuProbe? ForGroupInPidFile(string pidFile)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }
        return Directory.Exists($"/proc/{pid}") ? new CpuProbe(pid, group: true) : null;
    }

    /// CPU seconds used so far, or null when /proc cannot be read.
    public double? Seconds()
    {
        if (!_group)
        {
            return Read(_pid, _children) is { } own ? own.Ticks / TicksPerSecond : null;
        }
        long total = 0;
        var found = false;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } stat && stat.Group == _pid)
            {
                total += stat.Ticks;
                found = true;
            }
        }
        return found ? total / TicksPerSecond : null;
    }

    private static (int Group, long Ticks)? Read(int pid, bool children = false)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // The command name may contain spaces and parentheses; the fields after the last ')' start with the state.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime, or cutime and cstime: the waited-for children's.
        var first = children ? 13 : 11;
        return (int.Parse(fields[2], CultureInfo.InvariantCulture),
            long.Parse(fields[first], CultureInfo.InvariantCulture) + long.Parse(fields[first + 1], CultureInfo.InvariantCulture));
    }
}
