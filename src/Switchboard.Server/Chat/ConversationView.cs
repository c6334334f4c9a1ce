using Switchboard.Chat;

namespace Switchboard.Server.Chat;

/// <summary>A conversation as REST and the hub show it.</summary>
public sealed class ConversationView
{
    public Guid Id { get; init; }

    /// <summary><c>private</c>, <c>group</c>, <c>room</c> or <c>contact</c>.</summary>
    public string Kind { get; init; } = "";

    public string? Name { get; init; }

    public string? Topic { get; init; }

    public string? Description { get; init; }

    public string CreatedBy { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The newest message's seq (0 when empty).</summary>
    public long LastSeq { get; init; }

    /// <summary>The newest change number (edits, deletes, reactions, receipts).</summary>
    public long LastChangeSeq { get; init; }

    public int MemberCount { get; init; }

    /// <summary>For a <c>contact</c> conversation: the channel instance the contact wrote through and their address there.</summary>
    public ContactView? Contact { get; init; }

    internal static ConversationView From(Conversation conversation) => new()
    {
        Id = conversation.Id,
        Kind = ChatNames.Kind(conversation.Kind),
        Name = conversation.Name,
        Topic = conversation.Topic,
        Description = conversation.Description,
        CreatedBy = conversation.CreatedBy,
        CreatedAt = conversation.CreatedAt,
        UpdatedAt = conversation.UpdatedAt,
        LastSeq = conversation.LastSeq,
        LastChangeSeq = conversation.LastChangeSeq,
        MemberCount = conversation.MemberCount,
        Contact = conversation.Contact is { } contact ? new ContactView { Channel = contact.Channel, Address = contact.Address } : null,
    };
}
