using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Switchboard.Cli.Tests.Infrastructure;
using Switchboard.Tests.Contract;

namespace Switchboard.Cli.Tests.Tls;

[Collection(ProcessCollection.Name)]
public sealed class ServeTlsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Data => _folder.Combine("data");

    private string CertificatePath => Path.Combine(Data, "tls", "self-signed.pfx");

    [Fact]
    public async Task Serve_with_tls_answers_https_with_the_generated_certificate_and_presents_the_same_one_after_a_restart()
    {
        string firstThumbprint;
        await using (var first = SwitchboardProcess.Start(_folder.Path, ["serve", "--tls", "--urls", "https://127.0.0.1:0", "--data", Data]))
        {
            var url = await first.WaitForListeningAsync();
            Assert.Equal("https", url.Scheme);
            Assert.True(File.Exists(CertificatePath), first.ToString());
            firstThumbprint = ThumbprintOfFile();

            var (status, body, presented) = await GetHealthTrustingOnlyAsync(url, firstThumbprint);

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("alive", body);
            Assert.Equal(firstThumbprint, presented);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(CertificatePath));
            }
            await first.KillAsync();
        }

        await using var second = SwitchboardProcess.Start(_folder.Path, ["serve", "--tls", "--urls", "https://127.0.0.1:0", "--data", Data]);
        var secondUrl = await second.WaitForListeningAsync();
        var (secondStatus, _, secondPresented) = await GetHealthTrustingOnlyAsync(secondUrl, firstThumbprint);

        Assert.Equal(HttpStatusCode.OK, secondStatus);
        Assert.Equal(firstThumbprint, secondPresented);
        Assert.Equal(firstThumbprint, ThumbprintOfFile());
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_certificate_is_refused()
    {
        await using var process = SwitchboardProcess.Start(_folder.Path, ["serve", "--tls", "--urls", "https://127.0.0.1:0", "--data", Data]);
        var url = await process.WaitForListeningAsync();

        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("healthz").WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.IsType<System.Security.Authentication.AuthenticationException>(failure.InnerException);
    }

    [Fact]
    public async Task A_configured_pfx_certificate_is_used_instead_of_a_generated_one()
    {
        using var configured = Hosting.TestCertificates.Create("CN=configured.test");
        var path = _folder.Combine("configured.pfx");
        File.WriteAllBytes(path, configured.Export(X509ContentType.Pfx, "secret-password"));
        var expected = configured.GetCertHashString(HashAlgorithmName.SHA256);

        await using var process = SwitchboardProcess.Start(_folder.Path,
            ["serve", "--tls", "--urls", "https://127.0.0.1:0", "--data", Data],
            new Dictionary<string, string> { ["SWITCHBOARD_Tls__CertificatePath"] = path, ["SWITCHBOARD_Tls__CertificatePassword"] = "secret-password" });
        var url = await process.WaitForListeningAsync();
        var (status, _, presented) = await GetHealthTrustingOnlyAsync(url, expected);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(expected, presented);
        Assert.False(File.Exists(CertificatePath));
    }

    private string ThumbprintOfFile()
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, password: null);
        return certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }

    /// <summary>GET /healthz with a client that accepts exactly one certificate, and the thumbprint the server presented.</summary>
    private static async Task<(HttpStatusCode Status, string Body, string? Presented)> GetHealthTrustingOnlyAsync(Uri url, string thumbprint)
    {
        string? presented = null;
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            presented = certificate is X509Certificate2 x509 ? x509.GetCertHashString(HashAlgorithmName.SHA256) : null;
            return presented == thumbprint;
        };
        using var client = ContractCheckingHandler.CreateClient(url, handler);
        using var response = await client.GetAsync("healthz");
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), presented);
    }

    public void Dispose() => _folder.Dispose();
}
