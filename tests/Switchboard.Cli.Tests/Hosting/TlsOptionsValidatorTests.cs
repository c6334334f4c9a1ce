using System.Security.Cryptography.X509Certificates;
using Switchboard.Cli.Tests.Infrastructure;
using Switchboard.Server.Hosting;

namespace Switchboard.Cli.Tests.Hosting;

public sealed class TlsOptionsValidatorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void No_certificate_configured_is_valid() =>
        Assert.True(new TlsOptionsValidator().Validate(null, new TlsOptions { Enabled = true }).Succeeded);

    [Fact]
    public void A_pfx_with_the_right_password_is_valid()
    {
        var path = WritePfx("right");

        Assert.True(new TlsOptionsValidator().Validate(null, new TlsOptions { CertificatePath = path, CertificatePassword = "right" }).Succeeded);
    }

    [Fact]
    public void A_pfx_with_the_wrong_password_is_reported_with_the_key()
    {
        var path = WritePfx("right");

        var result = new TlsOptionsValidator().Validate(null, new TlsOptions { CertificatePath = path, CertificatePassword = "wrong" });

        Assert.StartsWith($"Tls:CertificatePath: '{path}' could not be read as PKCS#12 (check the file and Tls:CertificatePassword)", Assert.Single(result.Failures!));
    }

    [Fact]
    public void A_pem_certificate_with_its_key_is_valid()
    {
        using var certificate = TestCertificates.Create("CN=pem.test");
        var certificatePath = _folder.Combine("server.pem");
        var keyPath = _folder.Combine("server.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var result = new TlsOptionsValidator().Validate(null, new TlsOptions { CertificatePath = certificatePath, CertificateKeyPath = keyPath });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void A_key_path_without_a_certificate_is_reported() =>
        Assert.StartsWith("Tls:CertificateKeyPath:",
            Assert.Single(new TlsOptionsValidator().Validate(null, new TlsOptions { CertificateKeyPath = "server.key" }).Failures!));

    private string WritePfx(string password)
    {
        using var certificate = TestCertificates.Create("CN=pfx.test");
        var path = _folder.Combine("server.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    public void Dispose() => _folder.Dispose();
}
