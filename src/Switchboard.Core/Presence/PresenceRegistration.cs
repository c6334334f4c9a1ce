using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;

namespace Switchboard.Presence;

public static class PresenceRegistration
{
    /// <summary>
    /// Who is online: the tracker and its heartbeat, kept in memory unless an <see cref="IPresenceStore"/> shared
    /// between nodes (Redis) was registered first. The transport registers <see cref="IPresenceEvents"/>.
    /// </summary>
    public static IServiceCollection AddPresence(this IServiceCollection services)
    {
        if (services.AlreadyAdded<PresenceTracker>())
        {
            return services;
        }
        services.AddOptions<PresenceOptions>().BindConfiguration(PresenceOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PresenceOptions>, PresenceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPresenceStore, InMemoryPresenceStore>();
        services.TryAddSingleton<PresenceTracker>();
        services.AddHostedService<PresenceHeartbeat>();
        return services;
    }
}
