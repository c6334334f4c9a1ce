namespace Switchboard.Client;

/// <summary>
/// How a <see cref="SwitchboardClient"/> authenticates: a username and password (the client logs in on first use,
/// refreshes the access token before it expires and logs in again when the refresh token is no longer accepted),
/// or an API key sent as a bearer token on every request.
/// </summary>
public sealed class SwitchboardCredentials
{
    private SwitchboardCredentials(string? username, string? password, string? apiKey)
    {
        Username = username;
        Password = password;
        ApiKey = apiKey;
    }

    /// <summary>The username of password credentials; null for an API key.</summary>
    public string? Username { get; }

    /// <summary>The API key (<c>sb_…</c>); null for password credentials.</summary>
    public string? ApiKey { get; }

    internal string? Password { get; }

    internal bool CanLogIn => Username is not null;

    /// <summary>Credentials that log in with <c>POST /v1/auth/token</c>.</summary>
    /// <param name="username">The account's username, e.g. <c>admin</c>.</param>
    /// <param name="password">The account's password.</param>
    public static SwitchboardCredentials FromPassword(string username, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentException.ThrowIfNullOrEmpty(password);
        return new SwitchboardCredentials(username, password, apiKey: null);
    }

    /// <summary>Credentials that send an API key as <c>Authorization: Bearer sb_…</c>.</summary>
    /// <param name="apiKey">The key returned once by <see cref="SwitchboardClient.CreateApiKeyAsync"/>.</param>
    public static SwitchboardCredentials FromApiKey(string apiKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        return new SwitchboardCredentials(username: null, password: null, apiKey);
    }

    /// <summary>Describes the credentials without revealing the secret.</summary>
    public override string ToString() => ApiKey is not null ? "API key" : $"password of '{Username}'";
}
