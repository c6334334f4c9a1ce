using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard.Channels;
using Switchboard.Files;
using Switchboard.Hosting;

namespace Switchboard.Chat;

public static class ChatRegistration
{
    /// <summary>
    /// Chat's options, service and file grant. Each engine registers its <see cref="IChatStore"/>; the server's hub
    /// registers <see cref="IChatEvents"/>, the files feature <see cref="IFileCatalog"/> (without one, attachments are refused).
    /// </summary>
    public static IServiceCollection AddChat(this IServiceCollection services)
    {
        if (services.AlreadyAdded<ChatService>())
        {
            return services;
        }
        services.AddOptions<ChatOptions>().BindConfiguration(ChatOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatOptions>, ChatOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDeliveryChannels, ConfiguredDeliveryChannels>();
        services.TryAddSingleton<ChatSenderNames>();
        services.TryAddSingleton<ChatService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFileReadGrant, ChatFileGrant>());
        // Chat answers the channel pipeline through interfaces that channels owns.
        services.TryAddSingleton<ChatChannelHooks>();
        services.TryAddSingleton<IConversationRecipients>(sp => sp.GetRequiredService<ChatChannelHooks>());
        services.TryAddSingleton<IInboundMessageHandler>(sp => sp.GetRequiredService<ChatChannelHooks>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryStatusListener, ChatChannelHooks>(sp => sp.GetRequiredService<ChatChannelHooks>()));
        return services;
    }
}
