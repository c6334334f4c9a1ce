namespace Switchboard.Channels;

/// <summary>What a channel type can carry besides text, and the furthest status its provider reports.</summary>
/// <param name="Attachments">How attachments travel: <c>media</c> (the provider fetches and shows every file), <c>images</c>
/// (images shown inline, other files as links), <c>links</c> (links in the text and HTML) or <c>json</c> (listed in the body).</param>
/// <param name="Templates">Sends <see cref="ChannelTemplate"/>s; other types fall back to the text.</param>
public sealed record ChannelCapabilities(string Attachments, bool Templates, string FinalStatus)
{
    public const string Media = "media";
    public const string Images = "images";
    public const string Links = "links";
    public const string Json = "json";

    public static ChannelCapabilities For(string type) => type switch
    {
        ChannelTypes.WhatsApp => new(Media, Templates: true, ChannelTypes.FinalStatus(type)),
        ChannelTypes.Instagram => new(Media, Templates: false, ChannelTypes.FinalStatus(type)),
        ChannelTypes.Telegram => new(Media, Templates: false, ChannelTypes.FinalStatus(type)),
        ChannelTypes.Slack or ChannelTypes.Discord => new(Images, Templates: false, ChannelTypes.FinalStatus(type)),
        ChannelTypes.Webhook => new(Json, Templates: false, ChannelTypes.FinalStatus(type)),
        _ => new(Links, Templates: false, ChannelTypes.FinalStatus(type)),
    };
}
