using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Hosting;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Switchboard.Gateway.Health;

/// <summary>
/// Passive health from live traffic: a destination that fails <see cref="GatewayHealthOptions.PassiveFailures"/>
/// times in a row (unreachable, timed out, or a 5xx answer), or whose 5xx share over the last
/// <see cref="GatewayHealthOptions.PassiveWindow"/> answers reaches <see cref="GatewayHealthOptions.PassiveErrorRate"/>,
/// is taken out; YARP brings it back after <see cref="GatewayHealthOptions.Probation"/>. YARP's built-in policy
/// counts only transport failures, so a node answering 503 to everything would stay in.
/// </summary>
internal sealed class FailuresAndErrorsPolicy(IDestinationHealthUpdater updater, IOptions<GatewayOptions> options) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "FailuresAndErrors";

    private readonly GatewayHealthOptions _options = options.Value.Health;
    private readonly ConditionalWeakTable<DestinationState, Window> _windows = [];

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is not null && IsClientSide(error.Error))
        {
            // The client went away or sent a bad body: says nothing about the destination.
            return;
        }
        var failed = error is not null || context.Response.StatusCode >= 500;
        var window = _windows.GetValue(destination, _ => new Window(_options.PassiveWindow));
        if (window.Add(failed, _options.PassiveFailures, _options.PassiveErrorRate))
        {
            updater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, _options.Probation);
        }
    }

    /// <summary>Forgets what traffic said about <paramref name="destination"/>; its circuit starts closed.</summary>
    public void Reset(DestinationState destination) => _windows.Remove(destination);

    private static bool IsClientSide(ForwarderError error) => error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled
        or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient
        or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseCanceled
        or ForwarderError.UpgradeResponseClient;

    /// <summary>The last outcomes of one destination and its current run of failures.</summary>
    private sealed class Window(int size)
    {
        private readonly Lock _lock = new();
        private readonly bool[] _outcomes = new bool[size];
        private int _next;
        private int _count;
        private int _failures;
        private int _consecutive;

        /// <summary>Records one outcome; true when the destination should be taken out (and the window starts over).</summary>
        public bool Add(bool failed, int consecutiveLimit, double rateLimit)
        {
            lock (_lock)
            {
                if (_count == _outcomes.Length && _outcomes[_next])
                {
                    _failures--;
                }
                _outcomes[_next] = failed;
                _next = (_next + 1) % _outcomes.Length;
                _count = Math.Min(_count + 1, _outcomes.Length);
                _failures += failed ? 1 : 0;
                _consecutive = failed ? _consecutive + 1 : 0;
                var trip = _consecutive >= consecutiveLimit || (_count == _outcomes.Length && (double)_failures / _count >= rateLimit);
                if (trip)
                {
                    Array.Clear(_outcomes);
                    _next = _count = _failures = _consecutive = 0;
                }
                return trip;
            }
        }
    }
}
