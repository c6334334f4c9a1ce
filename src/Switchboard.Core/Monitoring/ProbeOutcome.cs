namespace Switchboard.Monitoring;

/// <summary>What one check found: up or not, the status code if any, why not, and whether it was an error (no answer, 5xx).</summary>
public sealed record ProbeOutcome(bool Up, int? StatusCode = null, string? Error = null, bool Errored = false)
{
    public static ProbeOutcome Healthy(int? statusCode = null) => new(true, statusCode);

    public static ProbeOutcome Failed(string error, bool errored = true, int? statusCode = null) => new(false, statusCode, error, errored);
}
