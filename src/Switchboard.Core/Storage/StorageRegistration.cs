using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;

namespace Switchboard.Storage;

public static class StorageRegistration
{
    /// <summary>The <c>Storage</c> options and their validator; the host then adds the engine they name.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        if (services.AlreadyAdded<IValidateOptions<StorageOptions>>())
        {
            return services;
        }
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        return services;
    }
}
