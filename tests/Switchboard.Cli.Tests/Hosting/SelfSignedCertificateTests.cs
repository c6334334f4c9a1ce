using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Switchboard.Cli.Tests.Infrastructure;
using Switchboard.Server.Hosting;

namespace Switchboard.Cli.Tests.Hosting;

public sealed class SelfSignedCertificateTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string PathInData => SelfSignedCertificate.PathFor(_folder.Path);

    [Fact]
    public void A_new_certificate_is_for_loopback_server_auth_valid_for_a_year_and_kept_private()
    {
        var now = DateTimeOffset.UtcNow;

        using var certificate = SelfSignedCertificate.LoadOrCreate(PathInData, now, out var created);

        Assert.True(created);
        Assert.True(certificate.HasPrivateKey);
        Assert.NotNull(certificate.GetECDsaPublicKey());
        Assert.InRange(certificate.NotAfter.ToUniversalTime(), now.UtcDateTime.AddDays(364), now.UtcDateTime.AddDays(366));
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], names.EnumerateIPAddresses());
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages;
        Assert.Equal("1.3.6.1.5.5.7.3.1", Assert.Single(usages.Cast<Oid>()).Value);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PathInData));
        }
    }

    [Fact]
    public void A_kept_certificate_is_reused()
    {
        var now = DateTimeOffset.UtcNow;
        using var first = SelfSignedCertificate.LoadOrCreate(PathInData, now, out _);

        using var second = SelfSignedCertificate.LoadOrCreate(PathInData, now.AddDays(300), out var created);

        Assert.False(created);
        Assert.Equal(first.GetCertHashString(HashAlgorithmName.SHA256), second.GetCertHashString(HashAlgorithmName.SHA256));
    }

    [Fact]
    public void A_certificate_expiring_within_30_days_is_replaced()
    {
        var now = DateTimeOffset.UtcNow;
        using var first = SelfSignedCertificate.LoadOrCreate(PathInData, now, out _);

        using var second = SelfSignedCertificate.LoadOrCreate(PathInData, now.AddDays(340), out var created);

        Assert.True(created);
        Assert.NotEqual(first.GetCertHashString(HashAlgorithmName.SHA256), second.GetCertHashString(HashAlgorithmName.SHA256));
        Assert.True(second.NotAfter.ToUniversalTime() > now.UtcDateTime.AddDays(700));
    }

    [Fact]
    public void A_damaged_file_is_replaced()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathInData)!);
        File.WriteAllText(PathInData, "not a certificate");

        using var certificate = SelfSignedCertificate.LoadOrCreate(PathInData, DateTimeOffset.UtcNow, out var created);

        Assert.True(created);
        Assert.True(certificate.HasPrivateKey);
    }

    public void Dispose() => _folder.Dispose();
}
