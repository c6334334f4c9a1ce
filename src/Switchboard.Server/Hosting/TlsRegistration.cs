using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Switchboard.Server.Hosting;

internal static class TlsRegistration
{
    public const string DefaultTlsUrl = "https://127.0.0.1:8443";

    /// <summary>Whether <c>Tls:Enabled</c> is on in the configuration assembled so far.</summary>
    public static bool IsEnabled(IConfiguration configuration) =>
        bool.TryParse(configuration[$"{TlsOptions.Section}:{nameof(TlsOptions.Enabled)}"], out var enabled) && enabled;

    public static WebApplicationBuilder AddTls(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TlsOptions>().BindConfiguration(TlsOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TlsOptions>, TlsOptionsValidator>();
        builder.Services.AddSingleton<TlsCertificateProvider>();
        // HTTPS defaults apply to every https:// URL, whether it came from --tls or from --urls; the
        // certificate is only read when such an endpoint is bound.
        builder.Services.AddOptions<KestrelServerOptions>().Configure<TlsCertificateProvider>((kestrel, certificates) =>
            kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificates.Certificate));
        return builder;
    }
}
