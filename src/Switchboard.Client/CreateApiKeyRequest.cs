namespace Switchboard.Client;

/// <summary>A new API key for a service.</summary>
/// <param name="Name">A name that says what uses the key.</param>
/// <param name="Scopes">What the key may do, e.g. <c>broker:publish:orders.*</c>; never more than its owner may.</param>
/// <param name="ExpiresAt">When the key stops working (UTC); null for never.</param>
public sealed record CreateApiKeyRequest(string Name, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt = null);
