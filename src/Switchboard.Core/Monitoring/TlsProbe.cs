using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Switchboard.Channels;

namespace Switchboard.Monitoring;

/// <summary>
/// TLS certificate checks: a handshake with host:port (443 by default) that verifies the certificate (unless
/// <see cref="MonitorSpec.VerifyTls"/> is off), and at least <see cref="MonitorSpec.ExpiryDays"/> left before it expires.
/// </summary>
public sealed class TlsProbe(OutboundAddressGuard guard, TimeProvider time) : IMonitorProbe
{
    public string Kind => MonitorKinds.Tls;

    public async Task<ProbeOutcome> CheckAsync(MonitorSpec monitor, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = await guard.ConnectAsync(monitor.Host!, monitor.Port ?? 443, cancellationToken).ConfigureAwait(false);
            await using var stream = new SslStream(new NetworkStream(socket, ownsSocket: false));
            var options = new SslClientAuthenticationOptions { TargetHost = monitor.Host };
            if (!monitor.VerifyTls)
            {
                options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
            }
            await stream.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            if (stream.RemoteCertificate is not System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
            {
                return ProbeOutcome.Failed("The server sent no certificate.");
            }
            var left = certificate.NotAfter.ToUniversalTime() - time.GetUtcNow().UtcDateTime;
            return left < TimeSpan.FromDays(monitor.ExpiryDays)
                ? ProbeOutcome.Failed($"The certificate expires {certificate.NotAfter.ToUniversalTime():u}, in {Math.Max(0, left.TotalDays):0.#} days (under {monitor.ExpiryDays}).", errored: false)
                : ProbeOutcome.Healthy();
        }
        catch (AuthenticationException ex)
        {
            return ProbeOutcome.Failed($"TLS handshake failed: {ex.Message}", errored: false);
        }
        catch (ProviderException ex)
        {
            return ProbeOutcome.Failed(ex.Message);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return ProbeOutcome.Failed($"Could not reach {monitor.Host}: {ex.Message}");
        }
    }
}
