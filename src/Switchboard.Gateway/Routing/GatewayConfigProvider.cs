using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Switchboard.Cluster;
using Switchboard.Gateway.Hosting;
using Yarp.ReverseProxy.Configuration;

namespace Switchboard.Gateway.Routing;

/// <summary>
/// Feeds YARP the routes for the current set of nodes. Discovery calls <see cref="Update"/> after every registry
/// read; a new configuration is published only when the set of active nodes changed, so YARP keeps each
/// destination's health and counters across reads.
/// </summary>
internal sealed class GatewayConfigProvider : IProxyConfigProvider
{
    private readonly GatewayOptions _options;
    private readonly Lock _lock = new();
    private Snapshot _current;
    private string _signature;

    public GatewayConfigProvider(IOptions<GatewayOptions> options)
    {
        _options = options.Value;
        _signature = Signature([]);
        _current = Create([]);
    }

    public IProxyConfig GetConfig() => _current;

    /// <summary>Publishes the routes for <paramref name="discovered"/> if the active set differs; true when it did.</summary>
    public bool Update(IReadOnlyList<ClusterNode> discovered)
    {
        var signature = Signature(discovered);
        Snapshot previous;
        lock (_lock)
        {
            if (signature == _signature)
            {
                return false;
            }
            _signature = signature;
            previous = _current;
            _current = Create(discovered);
        }
        previous.Expire();
        return true;
    }

    private static string Signature(IReadOnlyList<ClusterNode> nodes) =>
        string.Join('\n', nodes.Where(n => n.State == NodeState.Active).Select(n => n.Id + " " + n.Address).Order(StringComparer.Ordinal));

    private Snapshot Create(IReadOnlyList<ClusterNode> discovered)
    {
        var (routes, clusters) = GatewayRoutes.Build(_options, discovered);
        return new Snapshot(routes, clusters);
    }

    private sealed class Snapshot(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        private readonly CancellationTokenSource _changed = new();

        public IReadOnlyList<RouteConfig> Routes { get; } = routes;

        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

        public IChangeToken ChangeToken => new CancellationChangeToken(_changed.Token);

        public void Expire() => _changed.Cancel();
    }
}
