namespace Switchboard.Client;

public sealed partial class SwitchboardClient
{
    internal sealed record LoginBody(string Username, string Password);

    internal sealed record RefreshBody(string RefreshToken);

    internal sealed record RegisterBody(string Username, string Password, string? DisplayName);

    /// <summary>
    /// Logs in with a username and password (<c>POST /v1/auth/token</c>). The client then uses the returned tokens
    /// for later calls and refreshes them before they expire.
    /// </summary>
    /// <param name="username">The account's username.</param>
    /// <param name="password">The account's password.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The access and refresh tokens.</returns>
    /// <exception cref="SwitchboardApiException"><c>invalid_credentials</c>, <c>account_locked</c>, <c>account_disabled</c>, …</exception>
    public Task<TokenResponse> LoginAsync(string username, string password, CancellationToken cancellationToken = default) =>
        _session.ExclusiveAsync(async () =>
        {
            var tokens = await RequestTokensAsync("v1/auth/token", new LoginBody(username, password), cancellationToken).ConfigureAwait(false);
            _session.Set(tokens);
            return tokens;
        }, cancellationToken);

    /// <summary>
    /// Exchanges a refresh token for a new pair (<c>POST /v1/auth/refresh</c>). Refresh tokens rotate: the old one
    /// stops working, and presenting it again revokes the whole session.
    /// </summary>
    /// <param name="refreshToken">The token to exchange; null for the one this client holds.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new tokens, which this client uses from now on.</returns>
    /// <exception cref="InvalidOperationException">No refresh token was given and the client holds none.</exception>
    /// <exception cref="SwitchboardApiException"><c>invalid_refresh_token</c> or <c>refresh_token_reused</c>.</exception>
    public Task<TokenResponse> RefreshAsync(string? refreshToken = null, CancellationToken cancellationToken = default) =>
        _session.ExclusiveAsync(async () =>
        {
            var token = refreshToken ?? _session.Current?.RefreshToken
                ?? throw new InvalidOperationException("This client holds no refresh token; call LoginAsync first or pass one.");
            var tokens = await RequestTokensAsync("v1/auth/refresh", new RefreshBody(token), cancellationToken).ConfigureAwait(false);
            _session.Set(tokens);
            return tokens;
        }, cancellationToken);

    /// <summary>
    /// Revokes a refresh token (<c>POST /v1/auth/logout</c>) and forgets this client's tokens. A client created with
    /// password credentials logs in again on its next call.
    /// </summary>
    /// <param name="refreshToken">The token to revoke; null for the one this client holds (nothing is sent when it holds none).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task LogoutAsync(string? refreshToken = null, CancellationToken cancellationToken = default) =>
        _session.ExclusiveAsync(async () =>
        {
            var token = refreshToken ?? _session.Current?.RefreshToken;
            if (token is not null)
            {
                await SendWithoutResultAsync(HttpMethod.Post, "v1/auth/logout", new RefreshBody(token), Auth.IfAvailable, cancellationToken).ConfigureAwait(false);
            }
            _session.Set((Tokens?)null);
            return true;
        }, cancellationToken);

    /// <summary>Creates an account for oneself (<c>POST /v1/auth/register</c>) when the server allows self-registration.</summary>
    /// <param name="username">The unique login name.</param>
    /// <param name="password">The password; it must meet the server's policy.</param>
    /// <param name="displayName">The name shown to other people.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new account.</returns>
    /// <exception cref="SwitchboardApiException"><c>username_taken</c>, <c>weak_password</c>, <c>registration_disabled</c>, …</exception>
    public Task<User> RegisterAsync(string username, string password, string? displayName = null, CancellationToken cancellationToken = default) =>
        SendAsync<User>(HttpMethod.Post, "v1/auth/register", new RegisterBody(username, password, displayName), Auth.None, cancellationToken);

    /// <summary>Who the server thinks the caller is (<c>GET /v1/auth/me</c>).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The caller's identity, role and scopes.</returns>
    public Task<CallerProfile> GetMeAsync(CancellationToken cancellationToken = default) =>
        SendAsync<CallerProfile>(HttpMethod.Get, "v1/auth/me", null, Auth.Required, cancellationToken);

    /// <summary>Changes the caller's display name or password (<c>PATCH /v1/auth/me</c>).</summary>
    /// <param name="changes">What to change; null members stay as they are.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The updated account.</returns>
    public Task<User> UpdateMeAsync(UpdateMeRequest changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return SendAsync<User>(HttpMethod.Patch, "v1/auth/me", changes, Auth.Required, cancellationToken);
    }

    internal Task<TokenResponse> RequestTokensAsync(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<TokenResponse>(HttpMethod.Post, path, body, Auth.None, cancellationToken);
}
