using Switchboard.Channels;

namespace Switchboard.Monitoring;

/// <summary>TCP checks: a connection to host:port through <see cref="OutboundAddressGuard"/> opens.</summary>
public sealed class TcpProbe(OutboundAddressGuard guard) : IMonitorProbe
{
    public string Kind => MonitorKinds.Tcp;

    public async Task<ProbeOutcome> CheckAsync(MonitorSpec monitor, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = await guard.ConnectAsync(monitor.Host!, monitor.Port ?? 0, cancellationToken).ConfigureAwait(false);
            return ProbeOutcome.Healthy();
        }
        catch (ProviderException ex)
        {
            return ProbeOutcome.Failed(ex.Message);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            return ProbeOutcome.Failed($"Could not connect to {monitor.Host}:{monitor.Port}: {ex.SocketErrorCode}.");
        }
    }
}
