using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;

namespace Switchboard.Kv;

public static class KvRegistration
{
    /// <summary>Key-value buckets and their expiry sweep. Each engine registers its <see cref="IKvStore"/>.</summary>
    public static IServiceCollection AddKv(this IServiceCollection services)
    {
        if (services.AlreadyAdded<KvService>())
        {
            return services;
        }
        services.AddOptions<KvOptions>().BindConfiguration(KvOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KvOptions>, KvOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KvService>();
        services.AddHostedService<KvMaintenance>();
        return services;
    }
}
