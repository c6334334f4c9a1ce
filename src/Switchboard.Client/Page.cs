namespace Switchboard.Client;

/// <summary>One page of a list; pass <see cref="NextCursor"/> back to get the next.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page.</param>
/// <param name="NextCursor">The cursor of the next page, or null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
