namespace Switchboard.Identity;

/// <summary>What a login or refresh returns. <see cref="ExpiresIn"/> is the access token's lifetime in seconds.</summary>
public sealed record TokenPair(string AccessToken, string RefreshToken, int ExpiresIn);
