namespace Switchboard.Chat;

/// <summary>A user as the chat directory shows them to anyone who may chat: no role, no status beyond presence.</summary>
public sealed record DirectoryUser(Guid Id, string Username, string? DisplayName);
