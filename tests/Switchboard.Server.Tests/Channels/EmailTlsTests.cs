using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;

namespace Switchboard.Server.Tests.Channels;

/// <summary>
/// E-mail over STARTTLS and implicit TLS to aiosmtpd with a self-signed certificate made here: trusted only through the
/// instance's own settings (a pinned thumbprint, or accepting any certificate), refused otherwise.
/// </summary>
public sealed class EmailTlsTests
{
    [Theory]
    [InlineData("starttls", "pin")]
    [InlineData("tls", "pin")]
    [InlineData("tls", "accept")]
    public async Task Mail_goes_over_tls_to_a_server_the_instance_trusts(string security, string trust)
    {
        var (pem, thumbprint) = SelfSigned();
        await using var smtp = await SmtpTestServer.StartAsync(security, pem);
        await using var h = await StartAsync(smtp, security, trust == "pin"
            ? new() { ["Channels:Instances:mail:Smtp:CertificateThumbprint"] = string.Join(':', thumbprint.Chunk(2).Select(c => new string(c))).ToLowerInvariant() }
            : new() { ["Channels:Instances:mail:Smtp:AcceptInvalidCertificate"] = "true" });

        var id = await h.NotifyAsync(new
        {
            title = "Backup finished",
            content = "All 12 volumes are <safe>.",
            channels = new[] { "mail" },
            recipients = new[] { "ops@example.com" },
            attachments = new[] { new { url = "https://cdn.example.com/reports/backup.pdf?day=1&v=2", fileName = "backup.pdf", caption = "The log" } },
        });
        var delivery = (await h.WaitSettledAsync(id)).GetProperty("deliveries")[0];

        Assert.True("sent" == delivery.GetProperty("status").GetString(), delivery.ToString());
        var file = Assert.Single(smtp.Messages());
        Assert.StartsWith("TLS", await File.ReadAllTextAsync(file + ".tls"));
        var message = await MimeMessage.LoadAsync(file).WaitAsync(ChannelHarness.Timeout);
        Assert.Equal("Backup finished", message.Subject);
        Assert.Equal("multipart/alternative", message.Body?.ContentType.MimeType);
        var parts = ((Multipart)message.Body!).Select(p => p.ContentType.MimeType).ToArray();
        Assert.Equal(["text/plain", "text/html"], parts);
        Assert.Contains("All 12 volumes are <safe>.", message.TextBody);
        Assert.Contains("- backup.pdf: https://cdn.example.com/reports/backup.pdf?day=1&v=2 (The log)", message.TextBody);
        Assert.Contains("All 12 volumes are &lt;safe&gt;.", message.HtmlBody);
        Assert.Contains("<a href=\"https://cdn.example.com/reports/backup.pdf?day=1&amp;v=2\">backup.pdf</a> — The log", message.HtmlBody);
    }

    [Theory]
    [InlineData("starttls", null)]
    [InlineData("tls", null)]
    [InlineData("tls", "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF")]
    public async Task An_untrusted_certificate_fails_the_delivery_without_retrying_and_sends_nothing(string security, string? wrongPin)
    {
        var (pem, _) = SelfSigned();
        await using var smtp = await SmtpTestServer.StartAsync(security, pem);
        // A wrong pin is refused even when the instance would otherwise accept any certificate: the pin decides alone.
        await using var h = await StartAsync(smtp, security, wrongPin is null ? [] : new()
        {
            ["Channels:Instances:mail:Smtp:CertificateThumbprint"] = wrongPin,
            ["Channels:Instances:mail:Smtp:AcceptInvalidCertificate"] = "true",
        });

        var id = await h.NotifyAsync(new { title = "t", content = "x", channels = new[] { "mail" }, recipients = new[] { "ops@example.com" } });
        var notification = await h.WaitSettledAsync(id);
        var delivery = notification.GetProperty("deliveries")[0];

        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Equal("smtp_tls_failed", delivery.GetProperty("errorCode").GetString());
        var attempt = Assert.Single(ConnectorContractTests.Attempts(notification, "mail").EnumerateArray());
        Assert.Equal("rejected", attempt.GetProperty("outcome").GetString());
        Assert.Empty(smtp.Messages());
    }

    private static Task<ChannelHarness> StartAsync(SmtpTestServer smtp, string security, Dictionary<string, string?> trust)
    {
        var settings = new Dictionary<string, string?>(trust)
        {
            ["Channels:Instances:mail:Type"] = "email",
            ["Channels:Instances:mail:Smtp:Host"] = "127.0.0.1",
            ["Channels:Instances:mail:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Channels:Instances:mail:Smtp:Security"] = security,
            ["Channels:Instances:mail:Smtp:From"] = "alerts@example.com",
            ["Channels:Delivery:MaxAttempts"] = "3",
        };
        return ChannelHarness.StartAsync(settings);
    }

    /// <summary>A fresh self-signed server certificate for 127.0.0.1: its PEM certificate and key, and its SHA-256 in hex.</summary>
    private static ((string Certificate, string Key) Pem, string Thumbprint) SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=smtp.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return ((certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem()), certificate.GetCertHashString(HashAlgorithmName.SHA256));
    }
}
