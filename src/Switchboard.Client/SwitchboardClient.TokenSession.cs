namespace Switchboard.Client;

public sealed partial class SwitchboardClient
{
    private readonly TokenSession _session;

    /// <summary>The access token the next request would send, if the client holds one.</summary>
    internal string? CurrentAccessToken => _session.Current?.AccessToken;

    /// <summary>Swaps the held access token, keeping the refresh token; lets tests present a token the server rejects.</summary>
    internal void ReplaceAccessToken(string accessToken, DateTimeOffset expiresAt) =>
        _session.Set(_session.Current is { } current
            ? current with { AccessToken = accessToken, ExpiresAt = expiresAt }
            : new Tokens(accessToken, null, expiresAt, expiresAt - Time.GetUtcNow()));

    /// <summary>The tokens this client currently holds.</summary>
    internal sealed record Tokens(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt, TimeSpan Lifetime);

    /// <summary>
    /// The access and refresh tokens of a password login. Renewal is serialised by a semaphore so that many
    /// concurrent requests needing a fresh token cause one refresh, not one each.
    /// </summary>
    internal sealed class TokenSession(SwitchboardClient client) : IDisposable
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private volatile Tokens? _current;

        public Tokens? Current => _current;

        /// <summary>Whether a rejected token can be replaced: by a refresh token or by logging in again.</summary>
        public bool CanRenew => client._credentials?.CanLogIn == true || _current?.RefreshToken is not null;

        public void Set(TokenResponse response) =>
            _current = new Tokens(response.AccessToken, response.RefreshToken,
                client.Time.GetUtcNow().AddSeconds(response.ExpiresIn), TimeSpan.FromSeconds(response.ExpiresIn));

        public void Set(Tokens? tokens) => _current = tokens;

        /// <summary>
        /// A token that is not about to expire, refreshing or logging in when needed. <paramref name="rejected"/> is a
        /// token the server just refused; it is renewed even if its expiry says it is still good.
        /// </summary>
        public async Task<string?> GetAccessTokenAsync(string? rejected, CancellationToken cancellationToken)
        {
            var current = _current;
            if (IsUsable(current, rejected))
            {
                return current!.AccessToken;
            }
            if (current is null && client._credentials?.CanLogIn != true)
            {
                // Anonymous client: let the server say what authentication it wants.
                return null;
            }
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Another caller may have renewed while this one waited.
                current = _current;
                if (IsUsable(current, rejected))
                {
                    return current!.AccessToken;
                }
                var renewed = await RenewAsync(current, cancellationToken).ConfigureAwait(false);
                if (renewed is null)
                {
                    return current?.AccessToken;
                }
                Set(renewed);
                return renewed.AccessToken;
            }
            finally
            {
                _gate.Release();
            }
        }

        /// <summary>Runs an explicit token operation (login, refresh, logout) under the same lock as automatic renewal.</summary>
        public async Task<T> ExclusiveAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await operation().ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        private bool IsUsable(Tokens? tokens, string? rejected)
        {
            if (tokens is null || tokens.AccessToken == rejected)
            {
                return false;
            }
            // Renew a little before expiry so a request never leaves with a token that dies in flight.
            var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(60).Ticks, tokens.Lifetime.Ticks / 10));
            return client.Time.GetUtcNow() < tokens.ExpiresAt - margin;
        }

        private async Task<TokenResponse?> RenewAsync(Tokens? current, CancellationToken cancellationToken)
        {
            var credentials = client._credentials;
            if (current?.RefreshToken is { } refreshToken)
            {
                try
                {
                    return await client.RequestTokensAsync("v1/auth/refresh", new RefreshBody(refreshToken), cancellationToken).ConfigureAwait(false);
                }
                catch (SwitchboardApiException ex) when (ex.Status == 401 && credentials?.CanLogIn == true)
                {
                    // The refresh token expired or was revoked; the password still works.
                }
            }
            if (credentials?.CanLogIn == true)
            {
                return await client.RequestTokensAsync("v1/auth/token", new LoginBody(credentials.Username!, credentials.Password!), cancellationToken)
                    .ConfigureAwait(false);
            }
            return null;
        }

        public void Dispose() => _gate.Dispose();
    }
}
