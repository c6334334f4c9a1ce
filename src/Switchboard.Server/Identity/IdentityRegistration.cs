using Switchboard.Identity;

namespace Switchboard.Server.Identity;

internal static class IdentityRegistration
{
    public static WebApplicationBuilder AddIdentityFeature(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section).ValidateOnStart();
        builder.Services.AddAuthentication();
        builder.Services.AddAuthorization();
        return builder;
    }

    public static WebApplication MapIdentityFeature(this WebApplication app) => app;
}
