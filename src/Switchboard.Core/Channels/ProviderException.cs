namespace Switchboard.Channels;

/// <summary>
/// A provider refused or failed a send. <see cref="Retryable"/> failures (timeouts, 429, 5xx) are retried on the same
/// provider; the rest (400, 401, 403, …) move the delivery to the next provider of its route at once.
/// </summary>
public sealed class ProviderException(string code, string message, bool retryable, int? statusCode = null, TimeSpan? retryAfter = null)
    : Exception(message)
{
    public string Code { get; } = code;

    public bool Retryable { get; } = retryable;

    public int? StatusCode { get; } = statusCode;

    /// <summary>How long the provider asked us to wait (<c>Retry-After</c>, Telegram's <c>retry_after</c>).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
