using Switchboard.Chat;
using Switchboard.Presence;

namespace Switchboard.Server.Chat;

/// <summary>The lower-case names kinds, roles and statuses travel as, the same in JSON and MessagePack.</summary>
internal static class ChatNames
{
    public static string Kind(ConversationKind kind) => kind switch
    {
        ConversationKind.Private => "private",
        ConversationKind.Group => "group",
        _ => "room",
    };

    public static string Role(MemberRole role) => role switch
    {
        MemberRole.Owner => "owner",
        MemberRole.Admin => "admin",
        _ => "member",
    };

    public static string Presence(PresenceStatus status) => status switch
    {
        PresenceStatus.Online => "online",
        PresenceStatus.Away => "away",
        _ => "offline",
    };
}
