namespace Switchboard.Client;

/// <summary>The outcome of a test send through one channel instance.</summary>
/// <param name="Channel">The instance.</param>
/// <param name="Ok">Whether the provider accepted the message.</param>
/// <param name="ProviderId">The provider's message id, when it gives one.</param>
/// <param name="ErrorCode">Why not, when it failed (e.g. <c>http_401</c>, <c>circuit_open</c>, <c>address_refused</c>).</param>
/// <param name="ErrorMessage">The provider's explanation.</param>
/// <param name="Attempts">Every call made, retries included.</param>
public sealed record ChannelTestResult(string Channel, bool Ok, string? ProviderId, string? ErrorCode, string? ErrorMessage,
    IReadOnlyList<ChannelAttempt> Attempts);
