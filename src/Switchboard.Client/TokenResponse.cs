namespace Switchboard.Client;

/// <summary>The tokens returned by <c>POST /v1/auth/token</c> and <c>POST /v1/auth/refresh</c>.</summary>
/// <param name="AccessToken">A short-lived JWT to send as <c>Authorization: Bearer …</c>.</param>
/// <param name="RefreshToken">A one-time token that obtains the next pair; it rotates on every refresh.</param>
/// <param name="TokenType">Always <c>Bearer</c>.</param>
/// <param name="ExpiresIn">Seconds until <paramref name="AccessToken"/> expires.</param>
public sealed record TokenResponse(string AccessToken, string RefreshToken, string TokenType, int ExpiresIn);
