using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Switchboard.Chat;
using Switchboard.Operations;

namespace Switchboard.Server.Chat;

/// <summary>
/// Typing indicators per connection and conversation. The first <c>Typing</c> call is broadcast at once; further calls
/// within <see cref="Throttle"/> only keep it alive, so a client may call on every key press. Without a call for
/// <see cref="Expiry"/> (or when the user sends, leaves or disconnects) a <c>Typing</c> with <c>isTyping: false</c>
/// follows. The typer's own connections are not told.
/// </summary>
internal sealed partial class ChatTyping(IHubContext<ChatHub> hub, TimeProvider time, ILogger<ChatTyping> logger)
{
    public static readonly TimeSpan Throttle = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(string ConnectionId, Guid ConversationId), Entry> _entries = new();

    /// <summary>
    /// Renews the indicator; returns false when it was broadcast within <see cref="Throttle"/> (nothing to send),
    /// true when the caller must broadcast: call <see cref="StartAsync"/> with the audience then.
    /// </summary>
    public bool Renew(string connectionId, Guid conversationId)
    {
        if (_entries.TryGetValue((connectionId, conversationId), out var entry) && time.GetElapsedTime(entry.BroadcastAt) < Throttle)
        {
            entry.Timer.Change(Expiry, Timeout.InfiniteTimeSpan);
            return false;
        }
        return true;
    }

    public async Task StartAsync(string connectionId, string userId, ChatAudience audience)
    {
        var key = (connectionId, audience.ConversationId);
        var entry = _entries.AddOrUpdate(key,
            k => new Entry(userId, audience, time.GetTimestamp(), time.CreateTimer(Expire, k, Expiry, Timeout.InfiniteTimeSpan)),
            (_, existing) =>
            {
                existing.Timer.Change(Expiry, Timeout.InfiniteTimeSpan);
                return existing with { Audience = audience, BroadcastAt = time.GetTimestamp() };
            });
        await SendAsync(connectionId, entry, isTyping: true).ConfigureAwait(false);
    }

    /// <summary>The user sent a message or left: the indicator ends now.</summary>
    public Task StopAsync(string connectionId, Guid conversationId) => EndAsync((connectionId, conversationId));

    public async Task ConnectionClosedAsync(string connectionId)
    {
        foreach (var key in _entries.Keys.Where(k => k.ConnectionId == connectionId).ToArray())
        {
            await EndAsync(key).ConfigureAwait(false);
        }
    }

    private void Expire(object? state) => _ = ExpireAsync(((string, Guid))state!);

    private async Task ExpireAsync((string ConnectionId, Guid ConversationId) key)
    {
        try
        {
            await EndAsync(key).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogTypingFailed(logger, ex, key.ConversationId);
        }
    }

    private async Task EndAsync((string ConnectionId, Guid ConversationId) key)
    {
        if (_entries.TryRemove(key, out var entry))
        {
            await entry.Timer.DisposeAsync().ConfigureAwait(false);
            await SendAsync(key.ConnectionId, entry, isTyping: false).ConfigureAwait(false);
        }
    }

    private Task SendAsync(string connectionId, Entry entry, bool isTyping)
    {
        var view = new TypingView
        {
            ConversationId = entry.Audience.ConversationId,
            UserId = entry.UserId,
            IsTyping = isTyping,
            ExpiresAt = isTyping ? time.GetUtcNow() + Expiry : time.GetUtcNow(),
        };
        var clients = entry.Audience.IsRoom
            ? hub.Clients.GroupExcept(ChatHub.RoomGroup(entry.Audience.ConversationId), connectionId)
            : hub.Clients.Users(entry.Audience.Members.Where(m => m != entry.UserId).ToArray());
        return clients.SendAsync(ChatHub.Events.Typing, view);
    }

    [LoggerMessage(EventId = EventIds.Chat.TypingFailed, Level = LogLevel.Warning, Message = "The end of a typing indicator in conversation {ConversationId} could not be sent.")]
    private static partial void LogTypingFailed(ILogger logger, Exception exception, Guid conversationId);

    private sealed record Entry(string UserId, ChatAudience Audience, long BroadcastAt, ITimer Timer);
}
