using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Switchboard.Hosting;

namespace Switchboard.Server.Hosting;

/// <summary>
/// The certificate <c>--tls</c> uses when none is configured: ECDSA P-256, valid for a year for localhost,
/// 127.0.0.1 and ::1, kept as a PKCS#12 file readable only by its owner so restarts present the same
/// certificate (clients that pinned it keep working).
/// </summary>
internal static class SelfSignedCertificate
{
    public const string FolderName = "tls";
    public const string FileName = "self-signed.pfx";
    public const string SubjectName = "CN=Switchboard self-signed";

    /// <summary>A certificate closer than this to its expiry is replaced at start-up.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    /// <summary>Where the certificate lives for a data folder.</summary>
    public static string PathFor(string dataFolder) => System.IO.Path.Combine(dataFolder, FolderName, FileName);

    /// <summary>Loads the kept certificate, or generates and keeps a new one when it is missing, unreadable or expiring.</summary>
    public static X509Certificate2 LoadOrCreate(string path, DateTimeOffset now, out bool created)
    {
        var existing = TryLoad(path);
        if (existing is not null && existing.NotAfter.ToUniversalTime() - now.UtcDateTime > RenewBefore)
        {
            created = false;
            return existing;
        }
        existing?.Dispose();
        using var fresh = Create(now);
        Save(fresh, path);
        created = true;
        // Reload from the file so the key is in the same form on every start.
        return TryLoad(path) ?? throw new InvalidOperationException($"The certificate just written to {path} could not be read back.");
    }

    public static X509Certificate2 Create(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(SubjectName, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build(critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        // A little slack before now so a client whose clock is slightly behind accepts it.
        return request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Lifetime));
    }

    private static X509Certificate2? TryLoad(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
            if (certificate.HasPrivateKey)
            {
                return certificate;
            }
            certificate.Dispose();
            return null;
        }
        catch (CryptographicException)
        {
            // A damaged file is replaced rather than failing the start.
            return null;
        }
    }

    private static void Save(X509Certificate2 certificate, string path) =>
        PrivateFile.Write(path, certificate.Export(X509ContentType.Pfx));
}
