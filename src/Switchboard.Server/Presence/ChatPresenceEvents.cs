using Microsoft.AspNetCore.SignalR;
using Switchboard.Chat;
using Switchboard.Presence;
using Switchboard.Server.Chat;

namespace Switchboard.Server.Presence;

/// <summary>Sends a user's presence change as <c>Presence</c> to everyone sharing a private or group conversation with them, and to the user's own other devices.</summary>
internal sealed class ChatPresenceEvents(IHubContext<ChatHub> hub, IServiceProvider services) : IPresenceEvents
{
    // Resolved late: the chat service depends on the engine, which the presence tracker must not wait for at start-up.
    private ChatService Chat => services.GetRequiredService<ChatService>();

    public async Task PresenceChangedAsync(UserPresence presence, CancellationToken cancellationToken = default)
    {
        var peers = await Chat.PeersOfAsync(presence.UserId, cancellationToken).ConfigureAwait(false);
        var users = peers.Contains(presence.UserId, StringComparer.Ordinal) ? peers : [.. peers, presence.UserId];
        await hub.Clients.Users(users).SendAsync(ChatHub.Events.Presence, PresenceView.From(presence), cancellationToken).ConfigureAwait(false);
    }
}
