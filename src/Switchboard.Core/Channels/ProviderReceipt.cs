namespace Switchboard.Channels;

/// <summary>What a provider answered to a successful send.</summary>
/// <param name="MessageId">The provider's id of the message, when it gives one.</param>
/// <param name="StatusCode">The provider's status for the (last) call: the HTTP status, or the SMTP reply code.</param>
public sealed record ProviderReceipt(string? MessageId, int? StatusCode);
