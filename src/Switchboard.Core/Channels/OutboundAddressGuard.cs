using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Switchboard.Channels;

/// <summary>
/// Keeps outgoing requests away from the server's own network: loopback, private, link-local, CGNAT, unspecified and
/// multicast addresses are refused unless <c>Channels:AllowedHosts</c> names the host, the address or its CIDR range.
/// Applied to the addresses a name resolves to at connect time, so DNS cannot smuggle a private address past it.
/// </summary>
public sealed class OutboundAddressGuard(IOptionsMonitor<ChannelOptions> options)
{
    /// <summary>Resolves <paramref name="host"/> and opens a TCP connection to an address the guard allows.</summary>
    public async Task<Socket> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new ProviderException("dns_failed", $"The host '{host}' did not resolve.", retryable: true);
        }
        var refused = addresses.FirstOrDefault(a => !IsAllowed(host, a));
        if (refused is not null)
        {
            throw new ProviderException("address_refused",
                $"The host '{host}' resolves to {refused}, a loopback or private address; add it to Channels:AllowedHosts to allow it.", retryable: false);
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public bool IsAllowed(string host, IPAddress address) => IsAllowed(options.CurrentValue.AllowedHosts, host, address);

    /// <summary>
    /// The address a host is known to mean without asking DNS (an IP literal, or <c>localhost</c>) when the guard would
    /// refuse it, so configuration can be checked before anything is sent; null when allowed or only DNS can tell.
    /// </summary>
    public static IPAddress? RefusedWithoutLookup(IReadOnlyList<string> allowedHosts, string host)
    {
        host = host.Trim('[', ']');
        var address = IPAddress.TryParse(host, out var literal) ? literal
            : string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : null;
        return address is not null && !IsAllowed(allowedHosts, host, address) ? address : null;
    }

    private static bool IsAllowed(IReadOnlyList<string> allowedHosts, string host, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var entry in allowedHosts)
        {
            if (string.Equals(entry, host, StringComparison.OrdinalIgnoreCase) || Matches(entry, address))
            {
                return true;
            }
        }
        return !IsInternal(address);
    }

    /// <summary>Whether <paramref name="entry"/> is a valid allow-list entry: a host name, an IP address or a CIDR range.</summary>
    public static bool IsValidEntry(string entry) =>
        IPNetwork.TryParse(entry, out _) || IPAddress.TryParse(entry, out _) || Uri.CheckHostName(entry) == UriHostNameType.Dns;

    private static bool Matches(string entry, IPAddress address)
    {
        if (IPAddress.TryParse(entry, out var exact))
        {
            return exact.Equals(address);
        }
        return entry.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(entry, out var network) && network.Contains(address);
    }

    private static readonly IPNetwork[] Internal =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    internal static bool IsInternal(IPAddress address) => Internal.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address));
}
