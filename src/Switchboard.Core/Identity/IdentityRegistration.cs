using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;

namespace Switchboard.Identity;

public static class IdentityRegistration
{
    /// <summary>
    /// Users, tokens, API keys and the signing key ring. Each engine registers its <see cref="IIdentityStore"/>; the
    /// server adds the authentication schemes that read the tokens.
    /// </summary>
    public static IServiceCollection AddIdentity(this IServiceCollection services)
    {
        if (services.AlreadyAdded<UserService>())
        {
            return services;
        }
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdentityOptions>, IdentityOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SigningKeyRing(
            sp.GetRequiredService<IOptions<DataOptions>>().Value.FullPath,
            TimeSpan.FromMinutes(sp.GetRequiredService<IOptions<IdentityOptions>>().Value.AccessTokenMinutes) + AccessTokens.ClockSkew,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SigningKeyRing>>()));
        services.TryAddSingleton<AccessTokens>();
        services.TryAddSingleton<UserStatusCache>();
        services.TryAddSingleton<UserService>();
        services.TryAddSingleton<TokenService>();
        services.TryAddSingleton<ApiKeyService>();
        return services;
    }
}
