using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;

namespace Switchboard.Channels;

public static class ChannelsRegistration
{
    /// <summary>
    /// Channel instances, connectors, resilience and the delivery workers. Each engine registers the
    /// <see cref="IDeliveryStore"/> and <see cref="IChannelAddressStore"/>; chat registers the hooks channels calls back.
    /// </summary>
    public static IServiceCollection AddChannels(this IServiceCollection services)
    {
        if (services.AlreadyAdded<ChannelRegistry>())
        {
            return services;
        }
        services.AddOptions<ChannelOptions>().BindConfiguration(ChannelOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChannelOptions>, ChannelOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChannelRegistry>();
        // Runtime enable/disable applies to what chat may name too.
        services.Replace(ServiceDescriptor.Singleton<IDeliveryChannels>(sp => sp.GetRequiredService<ChannelRegistry>()));
        services.TryAddSingleton<OutboundAddressGuard>();
        services.TryAddSingleton<ChannelHttp>();
        services.TryAddSingleton<ChannelResilience>();
        services.TryAddSingleton<ChannelMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelConnector, WhatsAppConnector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelConnector, InstagramConnector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelConnector, TelegramConnector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelConnector, SlackConnector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelConnector, DiscordConnector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelConnector, WebhookConnector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelConnector, EmailConnector>());
        services.TryAddSingleton<DeliveryProcessor>();
        services.TryAddSingleton<ChannelAddressService>();
        services.TryAddSingleton<DeliveryDeadLetters>();
        services.TryAddSingleton<ChannelStatsQuery>();
        services.TryAddSingleton<DeliveryWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryWorker>());
        services.AddHostedService<DeliverySweeper>();
        return services;
    }
}
