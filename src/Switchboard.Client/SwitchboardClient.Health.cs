using System.Net;
using System.Net.Http.Json;

namespace Switchboard.Client;

public sealed partial class SwitchboardClient
{
    /// <summary>Whether the process is up (<c>GET /healthz</c>). Needs no credentials.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A report whose status is <c>alive</c>.</returns>
    public Task<HealthReport> GetHealthAsync(CancellationToken cancellationToken = default) =>
        SendAsync<HealthReport>(HttpMethod.Get, "healthz", null, Auth.None, cancellationToken);

    /// <summary>
    /// Whether the server can serve requests: storage (and the backplane, when configured) reachable
    /// (<c>GET /readyz</c>). Needs no credentials. A server that is up but not ready answers with a report whose
    /// status is <c>unavailable</c> rather than an exception, so callers can poll it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The report, with each dependency's state in <see cref="HealthReport.Checks"/>.</returns>
    public async Task<HealthReport> GetReadyAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendOnceAsync(HttpMethod.Get, "readyz", null, null, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.ServiceUnavailable
            && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            var report = await response.Content.ReadFromJsonAsync<HealthReport>(Json, cancellationToken).ConfigureAwait(false);
            if (report is not null)
            {
                return report;
            }
        }
        throw await SwitchboardApiException.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
    }
}
