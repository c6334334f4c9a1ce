using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Switchboard.Channels;

namespace Switchboard.Monitoring;

/// <summary>
/// HTTP(S) checks: the method, headers and body asked for, the status among the expected ones (default 200–399), the
/// keyword in the body. Connections go through <see cref="OutboundAddressGuard"/>; one pooled client per combination
/// of redirect and TLS verification, so probes share connections.
/// </summary>
public sealed class HttpProbe : IMonitorProbe, IDisposable
{
    private const int MaxBodyBytes = 1024 * 1024;
    private static readonly StatusRange[] DefaultStatuses = [new(200, 399)];

    private readonly HttpClient[] _clients;

    public HttpProbe(OutboundAddressGuard guard)
    {
        HttpClient Create(bool redirects, bool verify)
        {
            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = redirects,
                MaxAutomaticRedirections = 10,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectCallback = async (context, ct) =>
                    new NetworkStream(await guard.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct).ConfigureAwait(false), ownsSocket: true),
            };
            if (!verify)
            {
                handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true };
            }
            var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Switchboard-Monitor/1.0");
            return client;
        }
        _clients = [Create(false, false), Create(false, true), Create(true, false), Create(true, true)];
    }

    public string Kind => MonitorKinds.Http;

    public async Task<ProbeOutcome> CheckAsync(MonitorSpec monitor, CancellationToken cancellationToken)
    {
        var client = _clients[(monitor.FollowRedirects ? 2 : 0) + (monitor.VerifyTls ? 1 : 0)];
        using var request = new HttpRequestMessage(new HttpMethod(monitor.Method), monitor.Url);
        if (monitor.Body is not null)
        {
            request.Content = new StringContent(monitor.Body, Encoding.UTF8);
        }
        foreach (var (name, value) in monitor.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.Remove(name);
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var expected = monitor.ExpectedStatuses.Count == 0
                ? DefaultStatuses
                : monitor.ExpectedStatuses.Select(s => StatusRange.TryParse(s, out var r) ? r : default).ToArray();
            if (!expected.Any(r => r.Contains(status)))
            {
                return ProbeOutcome.Failed($"Status {status} is not among the expected {string.Join(", ", monitor.ExpectedStatuses.DefaultIfEmpty("200-399"))}.",
                    errored: status >= 500, statusCode: status);
            }
            if (monitor.Keyword is { } keyword)
            {
                var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
                if (!body.Contains(keyword, StringComparison.Ordinal))
                {
                    return ProbeOutcome.Failed($"The body does not contain '{keyword}'.", errored: false, statusCode: status);
                }
            }
            return ProbeOutcome.Healthy(status);
        }
        catch (HttpRequestException ex) when (ex.InnerException is ProviderException refused)
        {
            return ProbeOutcome.Failed(refused.Message);
        }
        catch (HttpRequestException ex)
        {
            return ProbeOutcome.Failed($"Request failed: {ex.Message}");
        }
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxBodyBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
        {
            read += n;
        }
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}
