using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Broker;

namespace Switchboard.Postgres.Broker;

internal static class PostgresBrokerRegistration
{
    public static IServiceCollection AddPostgresBroker(this IServiceCollection services)
    {
        services.AddSingleton(sp => new PostgresBrokerStore(
            sp.GetRequiredService<PostgresDatabase>(),
            sp.GetRequiredService<IOptions<BrokerOptions>>().Value,
            sp.GetRequiredService<ILogger<PostgresBrokerStore>>(),
            sp.GetService<BrokerMetrics>()));
        services.AddSingleton<IBrokerStore>(sp => sp.GetRequiredService<PostgresBrokerStore>());
        services.AddHostedService<PostgresBrokerStartup>();
        return services;
    }

    /// <summary>
    /// Starts listening and sweeping once the engine's start-up has migrated the database (hosted services start
    /// in order, and this one is registered after it), so the store is resolved here rather than injected.
    /// </summary>
    private sealed class PostgresBrokerStartup(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            services.GetRequiredService<PostgresBrokerStore>().StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
