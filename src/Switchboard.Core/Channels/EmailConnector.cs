using System.Net;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Switchboard.Channels;

/// <summary>
/// E-mail over SMTP with MailKit: a text and an HTML part, STARTTLS or implicit TLS. The connection goes through
/// <see cref="OutboundAddressGuard"/>; the Message-Id is derived from the delivery id, so a retried send is recognisable.
/// </summary>
internal sealed class EmailConnector(OutboundAddressGuard guard) : IChannelConnector
{
    public string Type => ChannelTypes.Email;

    public async Task<string?> SendAsync(ChannelInstanceOptions instance, ChannelMessage message, CancellationToken cancellationToken)
    {
        var smtp = instance.Smtp;
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(smtp.From!));
        try
        {
            mail.To.Add(MailboxAddress.Parse(message.Recipient!));
        }
        catch (ParseException)
        {
            throw new ProviderException("invalid_recipient", $"'{message.Recipient}' is not an e-mail address.", retryable: false);
        }
        mail.Subject = string.IsNullOrEmpty(message.Title) ? FirstLine(message.Text) : message.Title;
        mail.MessageId = $"{message.DeliveryId:n}@switchboard";
        mail.Headers.Add("X-Switchboard-Delivery", message.DeliveryId.ToString());
        var html = $"""
            <!DOCTYPE html>
            <html><body>
            {(string.IsNullOrEmpty(message.Title) ? "" : $"<h2>{WebUtility.HtmlEncode(message.Title)}</h2>")}
            <p>{WebUtility.HtmlEncode(message.Text).Replace("\n", "<br>", StringComparison.Ordinal)}</p>
            </body></html>
            """;
        mail.Body = new BodyBuilder { TextBody = message.Text, HtmlBody = html }.ToMessageBody();

        using var client = new SmtpClient();
        try
        {
            var socket = await guard.ConnectAsync(smtp.Host!, smtp.Port, cancellationToken).ConfigureAwait(false);
            await client.ConnectAsync(socket, smtp.Host!, smtp.Port, Security(smtp.Security), cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken).ConfigureAwait(false);
            }
            await client.SendAsync(mail, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpCommandException ex)
        {
            // 4xx replies are temporary by definition; 5xx are final.
            var code = (int)ex.StatusCode;
            throw new ProviderException($"smtp_{code}", $"The SMTP server refused the message: {ex.Message}", retryable: code < 500, code);
        }
        catch (AuthenticationException ex)
        {
            throw new ProviderException("smtp_auth_failed", $"SMTP authentication failed: {ex.Message}", retryable: false);
        }
        catch (Exception ex) when (ex is ServiceNotConnectedException or ServiceNotAuthenticatedException or SmtpProtocolException
            or System.Net.Sockets.SocketException or IOException or SslHandshakeException)
        {
            throw new ProviderException("smtp_unavailable", $"Could not talk to the SMTP server {smtp.Host}:{smtp.Port}: {ex.Message}", retryable: true);
        }
        return mail.MessageId;
    }

    internal static SecureSocketOptions Security(string value) => value.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "tls" or "ssl" => SecureSocketOptions.SslOnConnect,
        "auto" => SecureSocketOptions.Auto,
        _ => SecureSocketOptions.StartTls,
    };

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 120 ? line[..120] : line;
    }
}
