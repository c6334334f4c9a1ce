namespace Switchboard.Broker;

/// <summary>How to release a message: after <paramref name="Delay"/>, or straight to the dead-letter queue.</summary>
public sealed record NackOptions(TimeSpan Delay, string? Reason, bool DeadLetter)
{
    public static NackOptions Now { get; } = new(TimeSpan.Zero, null, false);
}
