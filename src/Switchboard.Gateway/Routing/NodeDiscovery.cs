using Microsoft.Extensions.Options;
using Switchboard.Cluster;
using Switchboard.Gateway.Hosting;
using Switchboard.Postgres;
using Switchboard.Postgres.Cluster;
using Switchboard.Operations;

namespace Switchboard.Gateway.Routing;

/// <summary>
/// Follows the node registry in PostgreSQL: reads the live nodes every poll interval and hands them to the
/// proxy's configuration. A node that stopped beating or reports itself draining leaves rotation at the next read.
/// When the database cannot be read, the last known set stays (and active checks keep judging it).
/// </summary>
internal sealed partial class NodeDiscovery(
    GatewayConfigProvider provider, IOptions<GatewayOptions> options, ILoggerFactory loggerFactory, ILogger<NodeDiscovery> logger) : BackgroundService
{
    private readonly GatewayDiscoveryOptions _options = options.Value.Discovery;

    /// <summary>The nodes of the last successful read, and when it was; null before the first.</summary>
    public (IReadOnlyList<ClusterNode> Nodes, DateTimeOffset At)? Last { get; private set; }

    /// <summary>Why the last read failed, or null when it succeeded.</summary>
    public string? LastError { get; private set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(_options.ConnectionString);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        PostgresDatabase? database = null;
        try
        {
            using var timer = new PeriodicTimer(_options.PollInterval);
            do
            {
                try
                {
                    database ??= await PostgresDatabase.OpenAsync(_options.ConnectionString!, loggerFactory, stoppingToken).ConfigureAwait(false);
                    var nodes = await new PostgresNodeRegistry(database).ListLiveAsync(_options.StaleAfter, stoppingToken).ConfigureAwait(false);
                    Last = (nodes, DateTimeOffset.UtcNow);
                    LastError = null;
                    if (provider.Update(nodes))
                    {
                        LogNodesChanged(logger, nodes.Count(n => n.State == NodeState.Active), nodes.Count(n => n.State == NodeState.Draining));
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    if (LastError is null)
                    {
                        LogReadFailed(logger, ex);
                    }
                    LastError = ex.GetType().Name + ": " + ex.Message;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            if (database is not null)
            {
                await database.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = EventIds.Cluster.GatewayRegistryChanged, Level = LogLevel.Information, Message = "Node registry changed: {Active} active, {Draining} draining.")]
    private static partial void LogNodesChanged(ILogger logger, int active, int draining);

    [LoggerMessage(EventId = EventIds.Cluster.GatewayRegistryUnreadable, Level = LogLevel.Warning, Message = "The node registry could not be read; routing to the last known nodes.")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
