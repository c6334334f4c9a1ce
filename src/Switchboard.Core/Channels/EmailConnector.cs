using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Switchboard.Channels;

/// <summary>
/// E-mail over SMTP with MailKit: a text and an HTML part (attachments as links in both), STARTTLS or implicit TLS. The
/// connection goes through <see cref="OutboundAddressGuard"/>; the Message-Id is derived from the delivery id, so a
/// retried send is recognisable. The server's certificate is validated as usual unless the instance pins its thumbprint
/// or accepts any certificate (<see cref="SmtpOptions"/>).
/// </summary>
internal sealed class EmailConnector(OutboundAddressGuard guard) : IChannelConnector
{
    public string Type => ChannelTypes.Email;

    public async Task<ProviderReceipt> SendAsync(ChannelInstanceOptions instance, ChannelMessage message, CancellationToken cancellationToken)
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
            {HtmlLinks(message.Files)}
            </body></html>
            """;
        mail.Body = new BodyBuilder { TextBody = message.Text + TextLinks(message.Files), HtmlBody = html }.ToMessageBody();

        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, certificate, _, errors) => Trust(smtp, certificate, errors) };
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
        catch (SslHandshakeException ex)
        {
            // A certificate the instance does not trust stays untrusted on retry: fail now and say how to fix it.
            throw new ProviderException("smtp_tls_failed", $"TLS with the SMTP server {smtp.Host}:{smtp.Port} failed: {ex.Message} "
                + "Use a certificate the machine trusts, or pin it with Smtp:CertificateThumbprint.", retryable: false);
        }
        catch (Exception ex) when (ex is ServiceNotConnectedException or ServiceNotAuthenticatedException or SmtpProtocolException
            or System.Net.Sockets.SocketException or IOException)
        {
            throw new ProviderException("smtp_unavailable", $"Could not talk to the SMTP server {smtp.Host}:{smtp.Port}: {ex.Message}", retryable: true);
        }
        // MailKit returns only after the server accepted the message, which SMTP answers with 250.
        return new ProviderReceipt(mail.MessageId, 250);
    }

    internal static SecureSocketOptions Security(string value) => value.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "tls" or "ssl" => SecureSocketOptions.SslOnConnect,
        "auto" => SecureSocketOptions.Auto,
        _ => SecureSocketOptions.StartTls,
    };

    /// <summary>A pinned thumbprint decides alone; otherwise the usual validation, unless the instance accepts any certificate.</summary>
    internal static bool Trust(SmtpOptions smtp, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (!string.IsNullOrWhiteSpace(smtp.CertificateThumbprint))
        {
            if (certificate is null)
            {
                return false;
            }
            var expected = NormalizeThumbprint(smtp.CertificateThumbprint);
            var actual = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));
        }
        return errors == SslPolicyErrors.None || smtp.AcceptInvalidCertificate;
    }

    internal static string NormalizeThumbprint(string value) =>
        new([.. value.Where(c => !char.IsWhiteSpace(c) && c != ':').Select(char.ToUpperInvariant)]);

    private static string TextLinks(IReadOnlyList<ChannelAttachment> files) => files.Count == 0 ? ""
        : "\n\nAttachments:\n" + string.Join("\n", files.Select(f =>
            $"- {f.DisplayName}: {f.Url}{(string.IsNullOrEmpty(f.Caption) ? "" : $" ({f.Caption})")}"));

    private static string HtmlLinks(IReadOnlyList<ChannelAttachment> files) => files.Count == 0 ? ""
        : "<ul>" + string.Concat(files.Select(f =>
            $"<li><a href=\"{WebUtility.HtmlEncode(f.Url)}\">{WebUtility.HtmlEncode(f.DisplayName)}</a>"
            + $"{(string.IsNullOrEmpty(f.Caption) ? "" : " — " + WebUtility.HtmlEncode(f.Caption))}</li>")) + "</ul>";

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 120 ? line[..120] : line;
    }
}
