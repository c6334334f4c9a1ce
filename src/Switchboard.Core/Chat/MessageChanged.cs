namespace Switchboard.Chat;

/// <param name="Changed">False when the change was a no-op (e.g. a reaction already there): nothing was written.</param>
public sealed record MessageChanged(ChatMessage Message, bool Changed);
