using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchboard.Channels;

/// <summary>
/// The one HTTP client every connector uses. Its connections go through <see cref="OutboundAddressGuard"/>; timeouts
/// come from the resilience pipeline's cancellation, so the client itself never times out.
/// </summary>
public sealed class ChannelHttp : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _client;

    public ChannelHttp(OutboundAddressGuard guard)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = await guard.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("Switchboard/1.0");
    }

    /// <summary>Posts JSON and returns the status and the parsed response body (null when empty or not JSON); failures become <see cref="ProviderException"/>.</summary>
    public async Task<ProviderResponse> PostJsonAsync(Uri url, object body, Action<HttpRequestHeaders>? headers, Func<JsonNode?, TimeSpan?>? retryAfterFromBody,
        Func<JsonNode?, string?>? errorCodeFromBody, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        headers?.Invoke(request.Headers);
        return await SendAsync(request, retryAfterFromBody, errorCodeFromBody, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="request"/>; see <see cref="PostJsonAsync"/>.</summary>
    public async Task<ProviderResponse> SendAsync(HttpRequestMessage request, Func<JsonNode?, TimeSpan?>? retryAfterFromBody,
        Func<JsonNode?, string?>? errorCodeFromBody, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.InnerException is ProviderException refused)
        {
            throw refused;
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderException("connection_failed", $"Could not reach {request.RequestUri?.Host}: {ex.Message}", retryable: true);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonNode? json = null;
            try
            {
                json = text.Length == 0 ? null : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // Slack answers "ok" in plain text; errors may be HTML from a proxy.
            }
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new ProviderResponse(status, json);
            }
            var retryAfter = RetryAfter(response) ?? retryAfterFromBody?.Invoke(json);
            var retryable = status is 408 or 429 or >= 500;
            var code = errorCodeFromBody?.Invoke(json) ?? $"http_{status}";
            var snippet = text.Length > 300 ? text[..300] : text;
            throw new ProviderException(code, $"{request.RequestUri?.Host} answered {status}: {snippet}", retryable, status, retryAfter);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        // Some providers send fractional seconds, which the typed header rejects.
        return response.Headers.TryGetValues("Retry-After", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    public void Dispose() => _client.Dispose();
}
