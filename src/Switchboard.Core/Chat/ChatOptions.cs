namespace Switchboard.Chat;

/// <summary>Configuration section <c>Chat</c>: limits of conversations and messages.</summary>
public sealed class ChatOptions
{
    public const string Section = "Chat";

    /// <summary>The most members a group may have, its creator included. Default 100.</summary>
    public int MaxGroupMembers { get; set; } = 100;

    /// <summary>The longest message text, in UTF-8 bytes. Default 16 KiB.</summary>
    public int MaxTextBytes { get; set; } = 16 * 1024;

    /// <summary>The most files one message may carry. Default 10.</summary>
    public int MaxAttachments { get; set; } = 10;

    /// <summary>The longest name of a group or room, in characters. Default 100.</summary>
    public int MaxNameLength { get; set; } = 100;

    /// <summary>The longest topic or description, in characters. Default 1000.</summary>
    public int MaxDescriptionLength { get; set; } = 1000;
}
