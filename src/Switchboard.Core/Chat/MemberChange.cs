namespace Switchboard.Chat;

/// <summary>What adding or removing a member did.</summary>
public enum MemberChange
{
    Added,
    Removed,
    AlreadyMember,
    NotMember,
    ConversationNotFound,
    TooManyMembers,
}
