namespace Switchboard.Channels;

/// <summary>
/// Takes a contact's message that a provider's webhook reported; chat stores it in the contact's conversation. It must
/// be durable before it returns (the provider gets its 200 only then) and idempotent on the provider's message id.
/// </summary>
public interface IInboundMessageHandler
{
    /// <summary>True when the message was newly stored, false when it was a redelivery.</summary>
    /// <param name="inbox">The instance's <c>Inbox</c>: the users who join a new contact's conversation.</param>
    Task<bool> ReceiveAsync(InboundMessage message, IReadOnlyList<string> inbox, CancellationToken cancellationToken = default);
}
