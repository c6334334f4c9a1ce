using Microsoft.Extensions.Options;
using Switchboard.Hosting;

namespace Switchboard.Server.Hosting;

internal static class HostingRegistration
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        // Loopback by default: exposing the hub is a decision the operator makes with --urls.
        if (string.IsNullOrWhiteSpace(builder.Configuration[UrlsValidator.Key]))
        {
            builder.Configuration[UrlsValidator.Key] = TlsRegistration.IsEnabled(builder.Configuration) ? TlsRegistration.DefaultTlsUrl : DefaultUrl;
        }
        builder.Services.AddOptions<HostingOptions>()
            .Configure<IConfiguration>((options, configuration) => options.Urls = configuration[UrlsValidator.Key] ?? "")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HostingOptions>, UrlsValidator>();
        builder.Services.AddOptions<DataOptions>().BindConfiguration(DataOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DataOptions>, DataOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddTls();
        return builder;
    }
}
