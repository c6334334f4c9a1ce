using System.Text;
using System.Text.Unicode;
using Switchboard.Errors;

namespace Switchboard.Broker;

/// <summary>
/// The one rule for bodies on every transport: a body is bytes end to end, and <see cref="BodyEncoding"/> only says how
/// a JSON reader sees it. A body is never stored under a label that would alter it: text must be valid UTF-16 to be
/// stored as UTF-8, bytes labelled <c>utf8</c> must be valid UTF-8, and unlabelled bytes that are not are kept as
/// <c>base64</c>. Whatever the transport, a reader gets the bytes that were published.
/// </summary>
public static class BodyCodec
{
    public const string Utf8Label = "utf8";
    public const string Base64Label = "base64";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A body sent as a JSON string (REST, GraphQL): its text as UTF-8, or the bytes its base64 stands for.</summary>
    /// <param name="field">The field's path for the error, e.g. <c>messages[2].body</c>.</param>
    public static (byte[] Body, BodyEncoding Encoding) FromText(string text, string? label, string field)
    {
        if (Parse(label, field) == BodyEncoding.Base64)
        {
            try
            {
                return (Convert.FromBase64String(text), BodyEncoding.Base64);
            }
            catch (FormatException)
            {
                throw Refused(field, $"{field} is labelled base64 but is not valid base64.");
            }
        }
        try
        {
            return (StrictUtf8.GetBytes(text), BodyEncoding.Utf8);
        }
        catch (EncoderFallbackException)
        {
            // A lone surrogate (\ud800 in JSON) has no UTF-8 form; replacing it would alter the body.
            throw Refused(field, $"{field} holds text that has no UTF-8 form (a lone surrogate); send binary data with bodyEncoding 'base64'.");
        }
    }

    /// <summary>
    /// A body sent as bytes (the hub, in MessagePack or base64 in JSON): unlabelled, it is <c>utf8</c> when it is valid
    /// UTF-8 and <c>base64</c> otherwise; labelled <c>utf8</c>, it must be valid UTF-8.
    /// </summary>
    public static BodyEncoding FromBytes(ReadOnlySpan<byte> body, string? label, string field) => Parse(label, field) switch
    {
        BodyEncoding.Base64 => BodyEncoding.Base64,
        BodyEncoding.Utf8 when !Utf8.IsValid(body) =>
            throw Refused(field, $"{field} is labelled utf8 but is not valid UTF-8; label it 'base64', or leave bodyEncoding out and the server keeps it as binary."),
        BodyEncoding.Utf8 => BodyEncoding.Utf8,
        _ => Utf8.IsValid(body) ? BodyEncoding.Utf8 : BodyEncoding.Base64,
    };

    /// <summary>How a stored body is shown: as stored, except a <c>utf8</c> body that is not valid UTF-8 (stored before this rule), which is shown as base64.</summary>
    public static BodyEncoding Shown(ReadOnlySpan<byte> body, BodyEncoding stored) =>
        stored == BodyEncoding.Utf8 && !Utf8.IsValid(body) ? BodyEncoding.Base64 : stored;

    /// <summary>A stored body as a JSON string with its label: the text, or base64.</summary>
    public static (string Body, string Label) ToText(ReadOnlySpan<byte> body, BodyEncoding stored) => Shown(body, stored) == BodyEncoding.Base64
        ? (Convert.ToBase64String(body), Base64Label)
        : (Encoding.UTF8.GetString(body), Utf8Label);

    public static string Label(BodyEncoding encoding) => encoding == BodyEncoding.Base64 ? Base64Label : Utf8Label;

    /// <summary>The label a client sent, or null when it sent none.</summary>
    private static BodyEncoding? Parse(string? label, string field) => label switch
    {
        null => null,
        Utf8Label => BodyEncoding.Utf8,
        Base64Label => BodyEncoding.Base64,
        _ => throw SwitchboardException.Validation(field + "Encoding", $"bodyEncoding '{label}' is not known; use 'utf8' or 'base64'."),
    };

    private static SwitchboardException Refused(string field, string detail) =>
        new(ErrorCodes.InvalidBodyEncoding, detail, new Dictionary<string, string[]> { [field] = [detail] });
}
