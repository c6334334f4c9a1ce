using Switchboard.Channels;
using Switchboard.Notifications;

namespace Switchboard.Server.Channels;

internal static class ChannelsRegistration
{
    /// <summary>Channels and the notifier, registered by Core; their HTTP side is mapped by <c>MapChannelsApi</c>.</summary>
    public static WebApplicationBuilder AddChannels(this WebApplicationBuilder builder)
    {
        builder.Services.AddChannels();
        builder.Services.AddNotifications();
        return builder;
    }
}
