namespace Switchboard.Chat;

/// <summary>Where a page of the caller's conversations continues: ordered by last activity, newest first, then id.</summary>
public sealed record ConversationCursor(DateTimeOffset Activity, Guid Id);
