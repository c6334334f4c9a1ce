using System.Collections.Concurrent;
using Switchboard.Identity;

namespace Switchboard.Chat;

/// <summary>
/// The usernames of message senders. A username never changes once a user exists, so a name read once is kept
/// (bounded); a page of messages costs one store read per distinct sender not seen before, never one per message.
/// Senders that are not local users (contacts, <c>contact:&lt;instance&gt;:&lt;address&gt;</c>) have no username.
/// </summary>
public sealed class ChatSenderNames(IIdentityStore identity)
{
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<Guid, string> _names = new();

    /// <summary>Sender id → username for the senders of <paramref name="messages"/> that are local users.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ResolveAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var senderId in messages.Select(m => m.SenderId).Distinct(StringComparer.Ordinal))
        {
            if (await UsernameAsync(senderId, cancellationToken).ConfigureAwait(false) is { } username)
            {
                names[senderId] = username;
            }
        }
        return names;
    }

    /// <summary>The sender's username, or null when the sender is not a local user.</summary>
    public async ValueTask<string?> UsernameAsync(string senderId, CancellationToken cancellationToken = default)
    {
        if (!Guid.TryParse(senderId, out var id))
        {
            return null;
        }
        if (_names.TryGetValue(id, out var cached))
        {
            return cached;
        }
        var user = await identity.GetUserAsync(id, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return null;
        }
        if (_names.Count >= MaxEntries)
        {
            _names.Clear();
        }
        _names[id] = user.Username;
        return user.Username;
    }
}
