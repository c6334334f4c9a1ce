namespace Switchboard.Chat;

/// <summary>One page of a cursor-paged list; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record ChatPage<T>(IReadOnlyList<T> Items, string? NextCursor);
