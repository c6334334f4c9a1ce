using Switchboard.Errors;
using Switchboard.Identity;

namespace Switchboard.Chat;

public sealed partial class ChatService
{
    /// <summary>
    /// Messages containing every word of <paramref name="query"/>, newest first, in conversations the caller is a
    /// member of (rooms: joined), or only in <paramref name="conversationId"/>. Deleted messages are never found.
    /// Any text is a valid query: only its letters and digits count.
    /// </summary>
    public async Task<ChatPage<ChatMessage>> SearchAsync(Caller caller, string? query, Guid? conversationId, int? limit, string? cursor, CancellationToken cancellationToken = default)
    {
        Demand(caller);
        var size = PageSize(limit);
        if (string.IsNullOrWhiteSpace(query) || query.Length > MaxQueryLength)
        {
            throw SwitchboardException.Validation("q", $"The search query must be 1–{MaxQueryLength} characters.");
        }
        var words = ChatNames.SearchWords(query, MaxSearchWords);
        if (words.Count == 0)
        {
            throw SwitchboardException.Validation("q", "The search query needs at least one word of letters or digits.");
        }
        var before = ChatCursor.DecodePosition(cursor);
        if (conversationId is { } id)
        {
            await RequireMemberAsync(caller, id, cancellationToken).ConfigureAwait(false);
        }
        var hits = await store.SearchAsync(caller.Id, words, conversationId, before, size + 1, cancellationToken).ConfigureAwait(false);
        return hits.Count <= size
            ? new ChatPage<ChatMessage>(hits.Select(h => h.Message).ToArray(), null)
            : new ChatPage<ChatMessage>(hits.Take(size).Select(h => h.Message).ToArray(), ChatCursor.EncodePosition(hits[size - 1].Position));
    }
}
