namespace Switchboard.Channels;

/// <summary>
/// A pre-approved provider template (WhatsApp message templates): its name, language code (e.g. <c>en_US</c>) and the
/// body's positional parameters. Channels without templates send the notification's text instead.
/// </summary>
public sealed record ChannelTemplate(string Name, string Language, IReadOnlyList<string> Parameters);
