using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Switchboard.Chat;
using Switchboard.Operations;
using Switchboard.Presence;
using Switchboard.Server.Presence;

namespace Switchboard.Server.Chat;

internal static class ChatRegistration
{
    public const string HubPath = "/hubs/chat";

    // Above the largest valid message (16 KiB of text, JSON-escaped, plus attachments and channels), so an oversized
    // text reaches the service and is refused with a code instead of closing the connection.
    private const int MaximumReceiveMessageSize = 256 * 1024;

    /// <summary>
    /// The chat service, its live side (hub, events, typing, presence) and, when <c>Chat:Redis:Configuration</c> is
    /// set, the Redis backplane and shared presence. The engine registers the <see cref="IChatStore"/>.
    /// </summary>
    public static WebApplicationBuilder AddChat(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddChat();
        services.AddOptions<ChatRedisOptions>().BindConfiguration(ChatRedisOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChatRedisOptions>, ChatRedisOptionsValidator>();

        services.AddSingleton<IChatEvents, ChatHubEvents>();
        services.AddSingleton<IPresenceEvents, ChatPresenceEvents>();
        services.AddSingleton<ChatTyping>();
        services.AddSingleton<IUserIdProvider, ChatUserIdProvider>();

        var signalR = services.AddSignalR().AddMessagePackProtocol().AddHubOptions<ChatHub>(hub =>
        {
            hub.MaximumReceiveMessageSize = MaximumReceiveMessageSize;
            hub.AddFilter<ChatHubFilter>();
        });

        // The backplane is chosen when the host is built, so the key is read from configuration here.
        var redis = builder.Configuration.GetSection(ChatRedisOptions.Section).Get<ChatRedisOptions>();
        if (redis?.Enabled == true)
        {
            services.AddSingleton<ChatRedis>();
            services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<ChatRedis>());
            services.AddSingleton<IPresenceStore, RedisPresenceStore>();
            signalR.AddStackExchangeRedis();
            services.AddOptions<RedisOptions>().Configure<ChatRedis>((options, shared) =>
            {
                options.Configuration.ChannelPrefix = RedisChannel.Literal(shared.Prefix + ":signalr");
                options.ConnectionFactory = async _ => await shared.GetAsync().ConfigureAwait(false);
            });
        }
        // In memory unless the Redis store above was registered.
        services.AddPresence();
        return builder;
    }

    public static IEndpointRouteBuilder MapChatHub(this IEndpointRouteBuilder routes)
    {
        routes.MapHub<ChatHub>(HubPath).RequireAuthorization();
        return routes;
    }
}
