using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Switchboard.Identity;
using Switchboard.Server.Identity;

namespace Switchboard.Server.Chat;

/// <summary>SignalR's user of a connection is the caller id, so <c>Clients.User(id)</c> reaches every connection of that user on any node.</summary>
internal sealed class ChatUserIdProvider(IOptionsMonitor<IdentityOptions> identityOptions) : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.User is { } user ? CallerExtensions.FromPrincipal(user, identityOptions.CurrentValue)?.Id : null;
}
