using System.Diagnostics.Metrics;
using Switchboard.Operations;

namespace Switchboard.Channels;

/// <summary>
/// Delivery instruments on the Switchboard meter: attempts by channel and outcome, and each instance's circuit state
/// (0 closed, 1 half-open, 2 open, 3 isolated).
/// </summary>
public sealed class ChannelMetrics
{
    private readonly Counter<long> _attempts;

    public ChannelMetrics(SwitchboardMetrics metrics, ChannelRegistry registry, ChannelResilience resilience)
    {
        _attempts = metrics.Meter.CreateCounter<long>("switchboard.channels.attempts", "{attempt}", "Provider calls by channel instance and outcome.");
        metrics.Meter.CreateObservableGauge("switchboard.channels.circuit_state", () => registry.Names.Select(name =>
            new Measurement<int>(resilience.CircuitState(name) switch
            {
                "half-open" => 1,
                "open" => 2,
                "isolated" => 3,
                _ => 0,
            }, new KeyValuePair<string, object?>("channel", name))), "{state}", "Circuit breaker state per channel instance: 0 closed, 1 half-open, 2 open, 3 isolated.");
    }

    public void Attempt(DeliveryAttempt attempt) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("channel", attempt.Channel), new KeyValuePair<string, object?>("outcome", attempt.Outcome));
}
