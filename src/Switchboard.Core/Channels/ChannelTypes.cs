namespace Switchboard.Channels;

/// <summary>The kinds of channel instance and what each can do.</summary>
public static class ChannelTypes
{
    public const string WhatsApp = "whatsapp";
    public const string Instagram = "instagram";
    public const string Telegram = "telegram";
    public const string Slack = "slack";
    public const string Discord = "discord";
    public const string Email = "email";
    public const string Webhook = "webhook";

    public static IReadOnlyList<string> All { get; } = [WhatsApp, Instagram, Telegram, Slack, Discord, Email, Webhook];

    /// <summary>Whether a delivery needs a recipient address (Slack, Discord and webhooks post to a configured URL).</summary>
    public static bool NeedsRecipient(string type) => type is WhatsApp or Instagram or Telegram or Email;

    /// <summary>The furthest status the provider ever reports; Slack, Telegram and the rest stop at <c>sent</c>.</summary>
    public static string FinalStatus(string type) => type switch
    {
        WhatsApp or Instagram => DeliveryStatus.Read,
        _ => DeliveryStatus.Sent,
    };
}
