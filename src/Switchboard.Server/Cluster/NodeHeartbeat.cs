using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Switchboard.Cluster;
using Switchboard.Operations;

namespace Switchboard.Server.Cluster;

/// <summary>
/// Keeps this node's row in the registry fresh once Kestrel listens. On a graceful stop it first reports itself
/// draining (and fails <c>/readyz</c>), keeps serving for <see cref="ClusterOptions.DrainDelay"/> so the gateway
/// takes it out of rotation, then removes its row; a killed node simply stops beating and ages out.
/// </summary>
internal sealed partial class NodeHeartbeat(
    IServiceProvider services, IServer server, IHostApplicationLifetime lifetime, IOptions<ClusterOptions> options, ILogger<NodeHeartbeat> logger)
    : BackgroundService, IHostedLifecycleService, IReadinessCheck
{
    private readonly ClusterOptions _options = options.Value;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _draining;
    private string? _address;
    // Resolved once the host started: the engine's stores exist only after its start-up opened the database.
    private INodeRegistry? _registry;

    public string NodeId { get; } = options.Value.NodeId ?? Guid.CreateVersion7().ToString();

    public string Name => "cluster:node";

    public Task CheckAsync(CancellationToken cancellationToken) =>
        _draining ? throw new InvalidOperationException("The node is draining before it stops.") : Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using (lifetime.ApplicationStarted.Register(() => _started.TrySetResult()))
        {
            await _started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        _registry = services.GetRequiredService<INodeRegistry>();
        _address = _options.AdvertiseUrl ?? Advertised(server);
        LogRegistering(logger, NodeId, _address);
        using var timer = new PeriodicTimer(_options.HeartbeatInterval);
        do
        {
            await BeatAsync(_draining ? NodeState.Draining : NodeState.Active, stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Runs before any hosted service (Kestrel included) stops: the node still serves while it drains.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        if (_address is null)
        {
            return;
        }
        await BeatAsync(NodeState.Draining, cancellationToken).ConfigureAwait(false);
        LogDraining(logger, NodeId, _options.DrainDelay);
        try
        {
            await Task.Delay(_options.DrainDelay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout is shorter than the drain delay: stop now.
        }
    }

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_address is null)
        {
            return;
        }
        try
        {
            await _registry!.RemoveAsync(NodeId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBeatFailed(logger, ex);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task BeatAsync(NodeState state, CancellationToken cancellationToken)
    {
        try
        {
            await _registry!.HeartbeatAsync(NodeId, _address!, state, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next beat tries again; meanwhile the gateway's active checks keep judging the node on their own.
            LogBeatFailed(logger, ex);
        }
    }

    /// <summary>The first listening address, with a wildcard host replaced by this machine's name.</summary>
    private static string Advertised(IServer server)
    {
        var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reports no address; set Cluster:AdvertiseUrl.");
        var uri = new UriBuilder(first.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = Environment.MachineName;
        }
        return uri.Uri.GetLeftPart(UriPartial.Authority);
    }

    [LoggerMessage(EventId = EventIds.Cluster.NodeRegistering, Level = LogLevel.Information, Message = "Cluster node {NodeId} registers as {Address}.")]
    private static partial void LogRegistering(ILogger logger, string nodeId, string address);

    [LoggerMessage(EventId = EventIds.Cluster.NodeDraining, Level = LogLevel.Information, Message = "Cluster node {NodeId} is draining for {Delay} before it stops.")]
    private static partial void LogDraining(ILogger logger, string nodeId, TimeSpan delay);

    [LoggerMessage(EventId = EventIds.Cluster.NodeBeatFailed, Level = LogLevel.Warning, Message = "The node registry could not be updated; the next heartbeat tries again.")]
    private static partial void LogBeatFailed(ILogger logger, Exception exception);
}
