namespace Switchboard.Channels;

/// <summary>
/// One chat message to deliver through one channel instance, published as JSON to <see cref="QueueFor"/> in the same
/// commit as the message itself. The channel worker resolves the recipients' addresses on that channel.
/// </summary>
public sealed record DeliveryJob(
    Guid Id,
    string Channel,
    Guid ConversationId,
    Guid MessageId,
    long Seq,
    string SenderId,
    string Text,
    IReadOnlyList<Guid> Attachments,
    DateTimeOffset CreatedAt)
{
    public const string QueuePrefix = "$sys.delivery.";

    public static string QueueFor(string channel) => QueuePrefix + channel;
}
