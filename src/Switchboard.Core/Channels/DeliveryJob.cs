namespace Switchboard.Channels;

/// <summary>
/// One chat message to deliver through one channel instance, published as JSON to <see cref="QueueFor"/> in the same
/// commit as the message itself.
/// </summary>
/// <param name="Recipient">The address to send to: the contact's, for a reply in a contact conversation; otherwise
/// null and the instance's <c>DefaultRecipient</c> is used.</param>
public sealed record DeliveryJob(
    Guid Id,
    string Channel,
    Guid ConversationId,
    Guid MessageId,
    long Seq,
    string SenderId,
    string Text,
    IReadOnlyList<Guid> Attachments,
    DateTimeOffset CreatedAt,
    string? Recipient = null)
{
    public const string QueuePrefix = "$sys.delivery.";

    public static string QueueFor(string channel) => QueuePrefix + channel;
}
