using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Switchboard.Server.Tests.Channels;

/// <summary>E-mail through MailKit to a real SMTP server on loopback (Debian's python3-aiosmtpd), checking the MIME that arrives.</summary>
public sealed class EmailDeliveryTests
{
    private const string Python = "/usr/bin/python3";

    private const string SmtpServer = """
        import os, sys, time
        from aiosmtpd.controller import Controller

        folder, port = sys.argv[1], int(sys.argv[2])

        class Save:
            async def handle_DATA(self, server, session, envelope):
                path = os.path.join(folder, "%d.eml" % time.time_ns())
                with open(path + ".tmp", "wb") as f:
                    f.write(envelope.original_content or envelope.content)
                with open(path + ".rcpt", "w") as f:
                    f.write(envelope.mail_from + "\n" + "\n".join(envelope.rcpt_tos))
                os.rename(path + ".tmp", path)
                return "250 Message accepted for delivery"

        controller = Controller(Save(), hostname="127.0.0.1", port=port)
        controller.start()
        print("ready", flush=True)
        sys.stdin.read()
        controller.stop()
        """;

    [Fact]
    public async Task A_notification_arrives_at_the_smtp_server_as_text_and_html()
    {
        Assert.True(File.Exists(Python), $"{Python} with the Debian package python3-aiosmtpd is needed (tests/services.sh installs it).");
        var folder = Directory.CreateTempSubdirectory("switchboard-smtp-").FullName;
        var script = Path.Combine(folder, "smtp.py");
        await File.WriteAllTextAsync(script, SmtpServer);
        var mailbox = Directory.CreateDirectory(Path.Combine(folder, "mail")).FullName;
        var port = FreePort();
        using var smtp = Process.Start(new ProcessStartInfo(Python, [script, mailbox, port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var errors = smtp.StandardError.ReadToEndAsync();
            var ready = await smtp.StandardOutput.ReadLineAsync().WaitAsync(ChannelHarness.Timeout).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
            if (ready != "ready")
            {
                smtp.Kill();
                Assert.Fail($"The SMTP server did not start: {await errors.WaitAsync(ChannelHarness.Timeout)}");
            }

            await using var h = await ChannelHarness.StartAsync(new Dictionary<string, string?>
            {
                ["Channels:Instances:mail:Type"] = "email",
                ["Channels:Instances:mail:Smtp:Host"] = "127.0.0.1",
                ["Channels:Instances:mail:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
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

            var file = Assert.Single(Directory.GetFiles(mailbox, "*.eml"));
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
        finally
        {
            smtp.StandardInput.Close();
            if (!smtp.WaitForExit(5000))
            {
                smtp.Kill();
            }
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
