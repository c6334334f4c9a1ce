namespace Switchboard.Chat;

/// <summary>Private: exactly two members, one per pair. Group: 3 up to the configured limit. Room: public, anyone may join.</summary>
public enum ConversationKind
{
    Private,
    Group,
    Room,
}
