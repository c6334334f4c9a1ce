namespace Switchboard.Client;

/// <summary>A published message.</summary>
/// <param name="Id">The message id.</param>
/// <param name="Duplicate">True when the idempotency key was seen within the dedup window and nothing new was stored.</param>
public sealed record PublishResult(Guid Id, bool Duplicate);
