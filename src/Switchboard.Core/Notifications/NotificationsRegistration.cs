using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Channels;
using Switchboard.Hosting;

namespace Switchboard.Notifications;

public static class NotificationsRegistration
{
    /// <summary>The notifier: notifications sent through the channels' delivery pipeline.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        if (services.AlreadyAdded<NotificationService>())
        {
            return services;
        }
        services.AddChannels();
        services.TryAddSingleton<NotificationService>();
        return services;
    }
}
