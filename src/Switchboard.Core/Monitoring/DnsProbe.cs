using System.Net;
using System.Net.Sockets;

namespace Switchboard.Monitoring;

/// <summary>DNS checks: the name resolves, to one of <see cref="MonitorSpec.ExpectedAddresses"/> when they are given.</summary>
public sealed class DnsProbe : IMonitorProbe
{
    public string Kind => MonitorKinds.Dns;

    public async Task<ProbeOutcome> CheckAsync(MonitorSpec monitor, CancellationToken cancellationToken)
    {
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(monitor.Host!, cancellationToken).ConfigureAwait(false);
            if (addresses.Length == 0)
            {
                return ProbeOutcome.Failed($"{monitor.Host} resolved to no address.");
            }
            if (monitor.ExpectedAddresses.Count > 0 && !addresses.Any(a => monitor.ExpectedAddresses.Any(e => IPAddress.Parse(e).Equals(a))))
            {
                return ProbeOutcome.Failed($"{monitor.Host} resolved to {string.Join(", ", addresses.Select(a => a.ToString()))}, none of the expected addresses.",
                    errored: false);
            }
            return ProbeOutcome.Healthy();
        }
        catch (SocketException ex)
        {
            return ProbeOutcome.Failed($"{monitor.Host} did not resolve: {ex.SocketErrorCode}.");
        }
    }
}
