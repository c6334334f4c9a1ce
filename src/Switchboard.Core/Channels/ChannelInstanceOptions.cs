namespace Switchboard.Channels;

/// <summary>
/// One channel instance (<c>Channels:Instances:&lt;name&gt;</c>). Which credentials matter depends on <see cref="Type"/>;
/// none of them is ever returned by the API or written to a log.
/// </summary>
public sealed class ChannelInstanceOptions
{
    /// <summary>whatsapp, instagram, telegram, slack, discord, email or webhook.</summary>
    public string? Type { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>The provider's API root (WhatsApp/Instagram Graph API, Telegram Bot API); defaults to the public one.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Graph API version for WhatsApp and Instagram.</summary>
    public string ApiVersion { get; set; } = "v21.0";

    /// <summary>Bearer token (WhatsApp, Instagram page access token).</summary>
    public string? Token { get; set; }

    /// <summary>App secret that signs Meta webhooks (<c>X-Hub-Signature-256</c>).</summary>
    public string? AppSecret { get; set; }

    /// <summary>Answer to the Meta webhook verification handshake (<c>hub.verify_token</c>).</summary>
    public string? VerifyToken { get; set; }

    public string? PhoneNumberId { get; set; }

    public string? BotToken { get; set; }

    /// <summary>Telegram's <c>X-Telegram-Bot-Api-Secret-Token</c> on inbound webhooks.</summary>
    public string? SecretToken { get; set; }

    /// <summary>Slack or Discord incoming-webhook URL, or the target of a generic outgoing webhook.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>HMAC-SHA256 key that signs generic outgoing webhooks.</summary>
    public string? Secret { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Where a delivery goes when it names no address for this instance (test messages, chat messages).</summary>
    public string? DefaultRecipient { get; set; }

    /// <summary>
    /// User names who become members of the conversation of each contact that writes in through this instance
    /// (WhatsApp, Instagram, Telegram); server admins can add more members later.
    /// </summary>
    public List<string> Inbox { get; set; } = [];

    /// <summary>Most sends per second; 0 for no limit.</summary>
    public double RatePerSecond { get; set; }

    /// <summary>Longest one provider call may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
