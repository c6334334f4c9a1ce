using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Postgres.Broker;
using Switchboard.Storage;

namespace Switchboard.Postgres;

/// <summary>Registers the scale-out engine: the pool and one store per concern.</summary>
public static class PostgresEngine
{
    public static IServiceCollection AddPostgresEngine(this IServiceCollection services)
    {
        services.AddSingleton<PostgresStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresStartup>());
        // Stores resolve the database after start-up has migrated it.
        services.AddSingleton(sp => sp.GetRequiredService<PostgresStartup>().Database);
        services.AddSingleton<IStorageHealth, PostgresStorageHealth>();
        services.AddSingleton<Switchboard.Kv.IKvStore, Kv.PostgresKvStore>();
        services.AddSingleton<global::Switchboard.Identity.IIdentityStore, Identity.PostgresIdentityStore>();
        services.AddSingleton<Switchboard.Files.IFileStore, Files.PostgresFileStore>();
        services.AddSingleton<global::Switchboard.Channels.IDeliveryStore, Channels.PostgresDeliveryStore>();
        services.AddSingleton<global::Switchboard.Channels.IChannelAddressStore, Channels.PostgresChannelAddressStore>();
        services.AddPostgresBroker();
        services.AddSingleton<global::Switchboard.Chat.IChatStore, Chat.PostgresChatStore>();
        services.AddSingleton<global::Switchboard.Monitoring.IMonitoringStore, Monitoring.PostgresMonitoringStore>();
        services.AddSingleton<global::Switchboard.Monitoring.IMonitoringLeader>(sp => new Monitoring.PostgresMonitoringLeader(
            () => sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<ILogger<Monitoring.PostgresMonitoringLeader>>()));
        services.AddSingleton<global::Switchboard.Cluster.INodeRegistry, Cluster.PostgresNodeRegistry>();
        return services;
    }

    /// <summary>Connects and migrates before the server accepts requests, so a wrong connection string fails the start.</summary>
    internal sealed class PostgresStartup(IOptions<StorageOptions> options, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
    {
        private PostgresDatabase? _database;

        public PostgresDatabase Database => _database
            ?? throw new InvalidOperationException("The PostgreSQL engine is used before start-up opened it.");

        public async Task StartAsync(CancellationToken cancellationToken) =>
            _database ??= await PostgresDatabase.OpenAsync(options.Value.Postgres.ConnectionString!, loggerFactory, cancellationToken).ConfigureAwait(false);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            if (_database is not null)
            {
                await _database.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
