using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Cli.Tests.Hosting;

/// <summary>Certificates made on the spot for tests that configure their own.</summary>
public static class TestCertificates
{
    public static X509Certificate2 Create(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
    }
}
