using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Hosting;

namespace Switchboard.Operations;

public static class OperationsRegistration
{
    /// <summary>The product's metrics and readiness. Each engine registers its <c>IStorageHealth</c>, other features their <see cref="IReadinessCheck"/>s.</summary>
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        if (services.AlreadyAdded<Readiness>())
        {
            return services;
        }
        services.TryAddSingleton<SwitchboardMetrics>();
        services.TryAddSingleton<Readiness>();
        return services;
    }
}
