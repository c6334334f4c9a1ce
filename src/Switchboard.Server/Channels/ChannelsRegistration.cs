using Microsoft.Extensions.Options;
using Switchboard.Channels;
using Switchboard.Notifications;

namespace Switchboard.Server.Channels;

internal static class ChannelsRegistration
{
    /// <summary>Channel instances, connectors, resilience, the delivery workers and the notifier.</summary>
    public static WebApplicationBuilder AddChannels(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ChannelOptions>().BindConfiguration(ChannelOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChannelOptions>, ChannelOptionsValidator>();
        services.AddSingleton<ChannelRegistry>();
        // Runtime enable/disable applies to what chat may name too.
        services.AddSingleton<IDeliveryChannels>(sp => sp.GetRequiredService<ChannelRegistry>());
        services.AddSingleton<OutboundAddressGuard>();
        services.AddSingleton<ChannelHttp>();
        services.AddSingleton<ChannelResilience>();
        services.AddSingleton<ChannelMetrics>();
        services.AddSingleton<IChannelConnector, WhatsAppConnector>();
        services.AddSingleton<IChannelConnector, InstagramConnector>();
        services.AddSingleton<IChannelConnector, TelegramConnector>();
        services.AddSingleton<IChannelConnector, SlackConnector>();
        services.AddSingleton<IChannelConnector, DiscordConnector>();
        services.AddSingleton<IChannelConnector, WebhookConnector>();
        services.AddSingleton<IChannelConnector, EmailConnector>();
        services.AddSingleton<DeliveryProcessor>();
        services.AddSingleton<ChannelAddressService>();
        services.AddSingleton<DeliveryDeadLetters>();
        services.AddSingleton<ChannelStatsQuery>();
        services.AddSingleton<DeliveryWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryWorker>());
        services.AddSingleton<NotificationService>();
        return builder;
    }
}
