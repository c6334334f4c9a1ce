namespace Switchboard.Monitoring;

/// <summary>Where a monitor stands after its last check: <c>pending</c> (no check yet), <c>up</c> or <c>down</c>.</summary>
public sealed record MonitorState(string MonitorId, string Status, int ConsecutiveFailures, DateTimeOffset? LastCheckAt, DateTimeOffset? ChangedAt,
    string? LastError)
{
    public const string Pending = "pending";
    public const string Up = "up";
    public const string Down = "down";

    public static MonitorState Initial(string id) => new(id, Pending, 0, null, null, null);

    /// <summary>The state after <paramref name="result"/>: down once the check and its <paramref name="retries"/> all failed.</summary>
    public MonitorState After(MonitorResult result, int retries)
    {
        var failures = result.Up ? 0 : ConsecutiveFailures + 1;
        var status = result.Up ? Up : failures > retries ? Down : Status == Pending ? Pending : Status;
        return new MonitorState(MonitorId, status, failures, result.At, status == Status ? ChangedAt : result.At, result.Up ? null : result.Error);
    }
}
