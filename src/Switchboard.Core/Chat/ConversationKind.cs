namespace Switchboard.Chat;

/// <summary>
/// Private: exactly two members, one per pair. Group: 3 up to the configured limit. Room: public, anyone may join.
/// Contact: one outside person writing through a channel (WhatsApp, Instagram, Telegram), created by their first
/// inbound message; its members are the channel instance's inbox users, and replies go back through that channel.
/// </summary>
public enum ConversationKind
{
    Private,
    Group,
    Room,
    Contact,
}
