using MimeKit;

namespace Switchboard.Server.Tests.Channels;

/// <summary>E-mail through MailKit to a real SMTP server on loopback (Debian's python3-aiosmtpd), checking the MIME that arrives.</summary>
public sealed class EmailDeliveryTests
{
    [Fact]
    public async Task A_notification_arrives_at_the_smtp_server_as_text_and_html()
    {
        await using var smtp = await SmtpTestServer.StartAsync();

        await using var h = await ChannelHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Channels:Instances:mail:Type"] = "email",
            ["Channels:Instances:mail:Smtp:Host"] = "127.0.0.1",
            ["Channels:Instances:mail:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Channels:Instances:mail:Smtp:Security"] = "none",
            ["Channels:Instances:mail:Smtp:From"] = "Switchboard Alerts <alerts@example.com>",
        });
        var id = await h.NotifyAsync(new
        {
            title = "Disk almost full",
            content = "Volume /data is at 93% <warning>\nClean up old backups.",
            severity = "warning",
            channels = new[] { "mail" },
            recipients = new[] { new Dictionary<string, string> { ["email"] = "ops@example.com" } },
        });
        var delivery = (await h.WaitSettledAsync(id)).GetProperty("deliveries")[0];
        Assert.Equal("sent", delivery.GetProperty("status").GetString());

        var file = Assert.Single(smtp.Messages());
        var message = await MimeMessage.LoadAsync(file).WaitAsync(ChannelHarness.Timeout);
        Assert.Equal("Disk almost full", message.Subject);
        Assert.Equal("alerts@example.com", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal("Switchboard Alerts", message.From.Mailboxes.Single().Name);
        Assert.Equal("ops@example.com", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal($"{delivery.GetProperty("id").GetGuid():n}@switchboard", message.MessageId);
        Assert.Equal(message.MessageId, delivery.GetProperty("providerId").GetString());
        Assert.Equal("multipart/alternative", message.Body?.ContentType.MimeType);
        Assert.Contains("Volume /data is at 93% <warning>", message.TextBody);
        Assert.Contains("<h2>Disk almost full</h2>", message.HtmlBody);
        Assert.Contains("93% &lt;warning&gt;<br>Clean up", message.HtmlBody);
        var envelope = await File.ReadAllLinesAsync(file + ".rcpt");
        Assert.Equal(["alerts@example.com", "ops@example.com"], envelope);
    }
}
