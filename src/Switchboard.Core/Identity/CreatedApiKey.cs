namespace Switchboard.Identity;

/// <summary>A new key and its secret <see cref="Key"/>, which is shown once and never stored.</summary>
public sealed record CreatedApiKey(ApiKey ApiKey, string Key);
