namespace Switchboard.Chat;

/// <summary>A change of a group or room: null leaves a field as it is, an empty string clears topic or description.</summary>
public sealed record UpdateConversation(string? Name = null, string? Topic = null, string? Description = null);
