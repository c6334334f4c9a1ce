namespace Switchboard.Chat;

/// <param name="Position">The store's insertion order of the message: search pages go from newest to oldest by it.</param>
public sealed record SearchHit(ChatMessage Message, long Position);
