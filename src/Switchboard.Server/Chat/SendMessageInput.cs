namespace Switchboard.Server.Chat;

/// <summary>A message to send, over REST (<c>POST …/messages</c>) or the hub (<c>SendMessage</c>).</summary>
public sealed class SendMessageInput
{
    /// <summary>The client's id for this message: sending it again returns the stored message instead of a second one.</summary>
    public string? ClientMessageId { get; init; }

    /// <summary>Up to 16 KiB.</summary>
    public string? Text { get; init; }

    /// <summary>Ids of uploaded files.</summary>
    public Guid[]? Attachments { get; init; }

    public Guid? ReplyTo { get; init; }

    /// <summary>Delivery channels (<c>whatsapp</c>, <c>instagram</c>, …) or <c>all</c>.</summary>
    public string[]? Channels { get; init; }
}
