using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;
using Switchboard.Sqlite.Broker;
using Switchboard.Storage;

namespace Switchboard.Sqlite;

/// <summary>Registers the embedded engine: the database and one store per concern.</summary>
public static class SqliteEngine
{
    public static IServiceCollection AddSqliteEngine(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var data = sp.GetRequiredService<IOptions<DataOptions>>().Value;
            return SqliteDatabase.Open(data.Resolve(storage.Sqlite.File), storage.Sqlite.MaxBatch, sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton<IStorageHealth, SqliteStorageHealth>();
        services.AddSingleton<Switchboard.Kv.IKvStore, Kv.SqliteKvStore>();
        services.AddSingleton<global::Switchboard.Identity.IIdentityStore, Identity.SqliteIdentityStore>();
        services.AddSingleton<Switchboard.Files.IFileStore, Files.SqliteFileStore>();
        services.AddSingleton<global::Switchboard.Channels.IDeliveryStore, Channels.SqliteDeliveryStore>();
        services.AddSingleton<global::Switchboard.Channels.IChannelAddressStore, Channels.SqliteChannelAddressStore>();
        services.AddHostedService<SqliteStartup>();
        services.AddSqliteBroker();
        services.AddSingleton<global::Switchboard.Chat.IChatStore, Chat.SqliteChatStore>();
        services.AddSingleton<global::Switchboard.Monitoring.IMonitoringStore, Monitoring.SqliteMonitoringStore>();
        services.AddSingleton<global::Switchboard.Cluster.INodeRegistry, Cluster.SqliteNodeRegistry>();
        return services;
    }

    /// <summary>Opens the database and migrates it at start-up, before the server accepts requests.</summary>
    private sealed class SqliteStartup(SqliteDatabase database) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override string ToString() => database.Path;
    }
}
