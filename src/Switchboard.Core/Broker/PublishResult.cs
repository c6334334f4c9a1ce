namespace Switchboard.Broker;

/// <summary>The id of a published message; <paramref name="Duplicate"/> when its idempotency key was seen within the window.</summary>
public sealed record PublishResult(Guid Id, bool Duplicate);
