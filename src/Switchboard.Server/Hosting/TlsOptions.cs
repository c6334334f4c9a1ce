namespace Switchboard.Server.Hosting;

/// <summary>
/// Configuration section <c>Tls</c>. With <see cref="Enabled"/> (the <c>--tls</c> flag) the server listens on
/// HTTPS; every <c>https://</c> URL uses the certificate chosen here.
/// </summary>
public sealed class TlsOptions
{
    public const string Section = "Tls";

    /// <summary>Serve HTTPS. Without explicit <c>Urls</c> the server then listens on <c>https://127.0.0.1:8443</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// A PKCS#12 (<c>.pfx</c>/<c>.p12</c>) or PEM certificate. When unset, a self-signed certificate is generated
    /// on first use and kept in <c>&lt;data&gt;/tls/</c>. Relative paths are under the current directory.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of the PKCS#12 file, or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The private key of a PEM certificate when it is not in the certificate file itself.</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>Whether <see cref="CertificatePath"/> names a PEM file rather than PKCS#12.</summary>
    internal bool IsPem =>
        CertificateKeyPath is not null
        || System.IO.Path.GetExtension(CertificatePath) is { } extension
            && (extension.Equals(".pem", StringComparison.OrdinalIgnoreCase) || extension.Equals(".crt", StringComparison.OrdinalIgnoreCase));
}
