namespace Switchboard.Channels;

/// <summary><c>Channels:Instances:&lt;name&gt;:Smtp</c> for an e-mail instance.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>none, starttls (upgrade after connecting, usually port 587), tls (implicit TLS, usually 465) or auto.</summary>
    public string Security { get; set; } = "starttls";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? From { get; set; }

    /// <summary>
    /// SHA-256 of the server's certificate (hex, colons and spaces allowed): trusted when it matches, whoever issued it,
    /// and refused when it does not. For servers with a self-signed or private-CA certificate.
    /// </summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>Accepts any server certificate on this instance only. Off by default; prefer <see cref="CertificateThumbprint"/>.</summary>
    public bool AcceptInvalidCertificate { get; set; }
}
