using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Switchboard.Server.Hosting;

/// <summary>Reads a configured certificate up front so a wrong path or password is reported with its key.</summary>
internal sealed class TlsOptionsValidator : IValidateOptions<TlsOptions>
{
    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return options.CertificateKeyPath is null
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("Tls:CertificateKeyPath: set only together with Tls:CertificatePath (a PEM certificate).");
        }
        var path = Path.GetFullPath(options.CertificatePath);
        if (!File.Exists(path))
        {
            return ValidateOptionsResult.Fail($"Tls:CertificatePath: '{path}' does not exist; point it at a .pfx or .pem file, or remove it to use a generated self-signed certificate.");
        }
        if (options.CertificateKeyPath is not null && !File.Exists(Path.GetFullPath(options.CertificateKeyPath)))
        {
            return ValidateOptionsResult.Fail($"Tls:CertificateKeyPath: '{Path.GetFullPath(options.CertificateKeyPath)}' does not exist.");
        }
        try
        {
            using var certificate = TlsCertificateProvider.LoadConfigured(options);
            if (!certificate.HasPrivateKey)
            {
                return ValidateOptionsResult.Fail($"Tls:CertificatePath: '{path}' has no private key; a server certificate needs one (PEM: set Tls:CertificateKeyPath).");
            }
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            var kind = options.IsPem ? "PEM" : "PKCS#12";
            return ValidateOptionsResult.Fail($"Tls:CertificatePath: '{path}' could not be read as {kind} (check the file and Tls:CertificatePassword): {ex.Message}");
        }
        return ValidateOptionsResult.Success;
    }
}
