using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Broker;

namespace Switchboard.Sqlite.Broker;

internal static class SqliteBrokerRegistration
{
    public static IServiceCollection AddSqliteBroker(this IServiceCollection services)
    {
        services.AddSingleton(sp => new SqliteBrokerStore(
            sp.GetRequiredService<SqliteDatabase>(),
            sp.GetRequiredService<IOptions<BrokerOptions>>().Value,
            sp.GetRequiredService<ILogger<SqliteBrokerStore>>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<BrokerMetrics>()));
        services.AddSingleton<IBrokerStore>(sp => sp.GetRequiredService<SqliteBrokerStore>());
        services.AddHostedService<SqliteBrokerStartup>();
        return services;
    }

    /// <summary>Loads the queues at start-up, so the first request does not pay for it and unsettled messages are ready at once.</summary>
    private sealed class SqliteBrokerStartup(SqliteBrokerStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override string ToString() => store.GetType().Name;
    }
}
