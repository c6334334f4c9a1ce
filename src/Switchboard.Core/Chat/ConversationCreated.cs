namespace Switchboard.Chat;

/// <param name="Created">False when a private conversation of the same pair existed and is returned instead.</param>
public sealed record ConversationCreated(Conversation Conversation, bool Created);
