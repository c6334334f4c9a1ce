using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;
using Switchboard.Operations;

namespace Switchboard.Server.Hosting;

/// <summary>
/// The one server certificate for every HTTPS endpoint: the configured file, else the self-signed one in the
/// data folder. Loaded on first use, i.e. when Kestrel binds an <c>https://</c> URL, which happens after the
/// configuration has been validated.
/// </summary>
internal sealed partial class TlsCertificateProvider(
    IOptions<TlsOptions> tls,
    IOptions<DataOptions> data,
    TimeProvider time,
    ILogger<TlsCertificateProvider> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private X509Certificate2? _certificate;

    public X509Certificate2 Certificate
    {
        get
        {
            lock (_gate)
            {
                return _certificate ??= Load();
            }
        }
    }

    private X509Certificate2 Load()
    {
        var options = tls.Value;
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            var configured = LoadConfigured(options);
            LogConfigured(logger, Path.GetFullPath(options.CertificatePath), configured.Subject, Thumbprint(configured), configured.NotAfter.ToUniversalTime());
            return configured;
        }
        var path = SelfSignedCertificate.PathFor(data.Value.FullPath);
        var certificate = SelfSignedCertificate.LoadOrCreate(path, time.GetUtcNow(), out var created);
        if (created)
        {
            LogGenerated(logger, path, Thumbprint(certificate), certificate.NotAfter.ToUniversalTime());
        }
        else
        {
            LogReused(logger, path, Thumbprint(certificate), certificate.NotAfter.ToUniversalTime());
        }
        return certificate;
    }

    /// <summary>Reads <c>Tls:CertificatePath</c> as PEM or PKCS#12; throws <see cref="CryptographicException"/> or an I/O error when it cannot.</summary>
    public static X509Certificate2 LoadConfigured(TlsOptions options)
    {
        var path = Path.GetFullPath(options.CertificatePath!);
        if (!options.IsPem)
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
        }
        var keyPath = options.CertificateKeyPath is null ? null : Path.GetFullPath(options.CertificateKeyPath);
        using var pem = string.IsNullOrEmpty(options.CertificatePassword)
            ? X509Certificate2.CreateFromPemFile(path, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(path, options.CertificatePassword, keyPath);
        // Round-trip through PKCS#12: a PEM key is ephemeral, which SslStream rejects on some platforms.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pfx), password: null);
    }

    private static string Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    public void Dispose() => _certificate?.Dispose();

    [LoggerMessage(EventId = EventIds.Tls.CertificateGenerated, Level = LogLevel.Information, Message = "Generated a self-signed TLS certificate at {Path} (SHA-256 {Thumbprint}, valid until {NotAfter:u})")]
    private static partial void LogGenerated(ILogger logger, string path, string thumbprint, DateTime notAfter);

    [LoggerMessage(EventId = EventIds.Tls.CertificateReused, Level = LogLevel.Information, Message = "Using the self-signed TLS certificate at {Path} (SHA-256 {Thumbprint}, valid until {NotAfter:u})")]
    private static partial void LogReused(ILogger logger, string path, string thumbprint, DateTime notAfter);

    [LoggerMessage(EventId = EventIds.Tls.CertificateConfigured, Level = LogLevel.Information, Message = "Using the TLS certificate at {Path}: {Subject} (SHA-256 {Thumbprint}, valid until {NotAfter:u})")]
    private static partial void LogConfigured(ILogger logger, string path, string subject, string thumbprint, DateTime notAfter);
}
