using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.Server.Tests.Channels;

/// <summary>
/// A real SMTP server on loopback: Debian's python3-aiosmtpd, plain, with STARTTLS (required before MAIL) or with
/// implicit TLS, saving each message as <c>N.eml</c> with its envelope in <c>N.eml.rcpt</c> and, when it arrived over
/// TLS, the protocol in <c>N.eml.tls</c>.
/// </summary>
internal sealed class SmtpTestServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import os, ssl, sys, time
        from aiosmtpd.controller import Controller

        folder, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]

        class Save:
            async def handle_DATA(self, server, session, envelope):
                path = os.path.join(folder, "%d.eml" % time.time_ns())
                with open(path + ".tmp", "wb") as f:
                    f.write(envelope.original_content or envelope.content)
                with open(path + ".rcpt", "w") as f:
                    f.write(envelope.mail_from + "\n" + "\n".join(envelope.rcpt_tos))
                tls = server.transport.get_extra_info("ssl_object")
                if tls is not None:
                    with open(path + ".tls", "w") as f:
                        f.write(tls.version())
                os.rename(path + ".tmp", path)
                return "250 Message accepted for delivery"

        options = {}
        if mode != "none":
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(sys.argv[4], sys.argv[5])
            options = {"ssl_context": context} if mode == "tls" else {"tls_context": context, "require_starttls": True}
        controller = Controller(Save(), hostname="127.0.0.1", port=port, **options)
        controller.start()
        print("ready", flush=True)
        sys.stdin.read()
        controller.stop()
        """;

    private readonly Process _process;
    private readonly string _folder;

    private SmtpTestServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string Mailbox => Path.Combine(_folder, "mail");

    /// <param name="mode">none, starttls or tls.</param>
    /// <param name="certificatePem">The server's certificate and key in PEM, for starttls and tls.</param>
    public static async Task<SmtpTestServer> StartAsync(string mode = "none", (string Certificate, string Key)? certificatePem = null)
    {
        Assert.True(File.Exists(Python), $"{Python} with the Debian package python3-aiosmtpd is needed (tests/services.sh installs it).");
        var folder = Directory.CreateTempSubdirectory("switchboard-smtp-").FullName;
        var script = Path.Combine(folder, "smtp.py");
        await File.WriteAllTextAsync(script, Script);
        Directory.CreateDirectory(Path.Combine(folder, "mail"));
        var port = FreePort();
        List<string> arguments = [script, Path.Combine(folder, "mail"), port.ToString(CultureInfo.InvariantCulture), mode];
        if (certificatePem is { } pem)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "cert.pem"), pem.Certificate);
            await File.WriteAllTextAsync(Path.Combine(folder, "key.pem"), pem.Key);
            arguments.AddRange([Path.Combine(folder, "cert.pem"), Path.Combine(folder, "key.pem")]);
        }
        var process = Process.Start(new ProcessStartInfo(Python, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var server = new SmtpTestServer(process, folder, port);
        var errors = process.StandardError.ReadToEndAsync();
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(ChannelHarness.Timeout)
            .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default);
        if (ready != "ready")
        {
            process.Kill();
            var message = await errors.WaitAsync(ChannelHarness.Timeout);
            await server.DisposeAsync();
            Assert.Fail($"The SMTP server did not start: {message}");
        }
        return server;
    }

    public string[] Messages() => Directory.GetFiles(Mailbox, "*.eml");

    public ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill();
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
