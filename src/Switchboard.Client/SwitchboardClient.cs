using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Client;

/// <summary>
/// A typed client for a Switchboard server. Thread-safe: share one instance per server and credentials. Each
/// feature's operations live in their own partial file (<c>SwitchboardClient.Auth.cs</c>, <c>SwitchboardClient.Users.cs</c>, …).
/// Failed requests throw <see cref="SwitchboardApiException"/>; an unreachable server throws <see cref="HttpRequestException"/>.
/// </summary>
public sealed partial class SwitchboardClient : IDisposable
{
    /// <summary>camelCase web defaults; nulls are left out so a PATCH changes only what it names.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly SwitchboardCredentials? _credentials;

    /// <summary>Creates a client with its own <see cref="HttpClient"/> (100 s timeout).</summary>
    /// <param name="baseAddress">The server, e.g. <c>http://127.0.0.1:8080</c>.</param>
    /// <param name="credentials">How to authenticate; null for anonymous calls and explicit <see cref="LoginAsync"/>.</param>
    public SwitchboardClient(Uri baseAddress, SwitchboardCredentials? credentials = null)
        : this(new HttpClient { BaseAddress = baseAddress }, credentials, ownsHttpClient: true)
    {
    }

    /// <summary>Creates a client over an existing <see cref="HttpClient"/>, e.g. one from <c>IHttpClientFactory</c> or with a custom handler.</summary>
    /// <param name="httpClient">A client whose <see cref="HttpClient.BaseAddress"/> is the server; it is not disposed with this client.</param>
    /// <param name="credentials">How to authenticate; null for anonymous calls and explicit <see cref="LoginAsync"/>.</param>
    public SwitchboardClient(HttpClient httpClient, SwitchboardCredentials? credentials = null)
        : this(httpClient, credentials, ownsHttpClient: false)
    {
    }

    private SwitchboardClient(HttpClient httpClient, SwitchboardCredentials? credentials, bool ownsHttpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        if (httpClient.BaseAddress is not { IsAbsoluteUri: true } address)
        {
            throw new ArgumentException("The HttpClient needs an absolute BaseAddress, e.g. http://127.0.0.1:8080.", nameof(httpClient));
        }
        // Relative paths resolve under the base address only when it ends with a slash.
        if (!address.AbsolutePath.EndsWith('/'))
        {
            httpClient.BaseAddress = new Uri(address.AbsoluteUri + "/");
        }
        _http = httpClient;
        _ownsHttp = ownsHttpClient;
        _credentials = credentials;
        _session = new TokenSession(this);
    }

    /// <summary>The server this client talks to.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>The clock that decides when an access token is due for refresh; tests replace it.</summary>
    internal TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>How a request authenticates.</summary>
    internal enum Auth
    {
        /// <summary>No Authorization header (login, refresh, health).</summary>
        None,

        /// <summary>The current token if there is one; never logs in.</summary>
        IfAvailable,

        /// <summary>A valid token, logging in or refreshing first when needed; one retry after a 401.</summary>
        Required,
    }

    internal async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, Auth auth, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, body, auth, cancellationToken).ConfigureAwait(false);
        var result = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false);
        return result ?? throw new SwitchboardApiException((int)response.StatusCode, "empty_response", "The server answered without a body.",
            $"{method} {path} returned no JSON.");
    }

    internal async Task SendWithoutResultAsync(HttpMethod method, string path, object? body, Auth auth, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, body, auth, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request and returns its successful response; a failure becomes a <see cref="SwitchboardApiException"/>.</summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, Auth auth, CancellationToken cancellationToken)
    {
        var token = await AuthorizationAsync(auth, cancellationToken).ConfigureAwait(false);
        var response = await SendOnceAsync(method, path, body, token, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized && auth == Auth.Required && token is not null && _session.CanRenew)
        {
            // The token may have been revoked or the server's keys rotated: renew once and retry.
            response.Dispose();
            token = await _session.GetAccessTokenAsync(rejected: token, cancellationToken).ConfigureAwait(false);
            response = await SendOnceAsync(method, path, body, token, cancellationToken).ConfigureAwait(false);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            throw await SwitchboardApiException.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string?> AuthorizationAsync(Auth auth, CancellationToken cancellationToken)
    {
        if (auth == Auth.None)
        {
            return null;
        }
        if (_credentials?.ApiKey is { } apiKey)
        {
            return apiKey;
        }
        return auth == Auth.Required
            ? await _session.GetAccessTokenAsync(rejected: null, cancellationToken).ConfigureAwait(false)
            : _session.Current?.AccessToken;
    }

    private Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, string path, object? body, string? bearer, CancellationToken cancellationToken)
    {
        // A request message cannot be sent twice, so a retry builds a fresh one.
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return SendAndDisposeRequestAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAndDisposeRequestAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Segment(Guid id) => id.ToString("D");

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToArray();
        return present.Length == 0 ? "" : "?" + string.Join('&', present);
    }

    /// <summary>Disposes the underlying <see cref="HttpClient"/> when this client created it.</summary>
    public void Dispose()
    {
        _session.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
