namespace Switchboard.Operations;

/// <summary>What <see cref="Readiness"/> found: the checks that passed and, when not ready, the one that failed and why.</summary>
public sealed record ReadinessReport(bool Ready, IReadOnlyDictionary<string, string> Checks, string? FailedCheck, Exception? Failure)
{
    /// <summary>Why the failed check failed, in words: a timeout, or the exception's type and message.</summary>
    public string? Reason => Failure switch
    {
        null => null,
        OperationCanceledException => $"no answer within {Readiness.Timeout.TotalSeconds:0} s",
        _ => Failure.GetType().Name + ": " + Failure.Message,
    };
}
