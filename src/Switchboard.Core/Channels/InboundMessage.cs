namespace Switchboard.Channels;

/// <summary>A message a contact sent through a channel, as its provider's webhook reported it.</summary>
/// <param name="ProviderMessageId">The provider's id of the message: a redelivered webhook stores it once.</param>
/// <param name="ContactName">The name the provider gives for the contact (a profile name), when it gives one.</param>
public sealed record InboundMessage(
    ChannelContact Contact,
    string ProviderMessageId,
    string? ContactName,
    string Text,
    DateTimeOffset At);
