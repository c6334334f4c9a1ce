using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Identity;

namespace Switchboard.Server.Identity;

internal static class IdentityRegistration
{
    // External issuers' tokens are typically RSA or EC; symmetric algorithms are never accepted.
    private static readonly string[] ExternalAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static WebApplicationBuilder AddIdentityFeature(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddIdentity();
        services.AddHostedService<IdentityStartup>();

        // Schemes are fixed when the host is built, so the external issuers are read from configuration here.
        var external = builder.Configuration.GetSection(IdentityOptions.Section).Get<IdentityOptions>()?.ExternalIssuers ?? [];
        var schemeByIssuer = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var issuer in external.Where(i => !string.IsNullOrWhiteSpace(i.Name)))
        {
            var expected = ExpectedIssuer(issuer);
            if (expected is not null)
            {
                schemeByIssuer.TryAdd(expected, IdentitySchemes.External(issuer.Name));
                schemeByIssuer.TryAdd(expected.TrimEnd('/'), IdentitySchemes.External(issuer.Name));
            }
        }

        var authentication = services
            .AddAuthentication(options =>
            {
                options.DefaultScheme = IdentitySchemes.Default;
                options.DefaultChallengeScheme = IdentitySchemes.Default;
                options.DefaultForbidScheme = IdentitySchemes.Default;
            })
            .AddPolicyScheme(IdentitySchemes.Default, "Switchboard", options =>
                options.ForwardDefaultSelector = context => IdentitySchemes.Select(context, schemeByIssuer))
            .AddJwtBearer(IdentitySchemes.Local)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(IdentitySchemes.ApiKey, null);
        services.AddOptions<JwtBearerOptions>(IdentitySchemes.Local)
            .Configure<IOptions<IdentityOptions>, SigningKeyRing>((options, identity, ring) => ConfigureLocal(options, identity.Value, ring));
        foreach (var issuer in external.Where(i => !string.IsNullOrWhiteSpace(i.Name)))
        {
            authentication.AddJwtBearer(IdentitySchemes.External(issuer.Name), options => ConfigureExternal(options, issuer));
        }
        services.AddAuthorization();
        return builder;
    }

    public static WebApplication MapIdentityFeature(this WebApplication app)
    {
        app.MapAuthApi();
        app.MapAdminUsersApi();
        app.MapApiKeysApi();
        app.MapWellKnownApi();
        return app;
    }

    private static void ConfigureLocal(JwtBearerOptions options, IdentityOptions identity, SigningKeyRing ring)
    {
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = identity.Issuer,
            ValidAudience = identity.Audience,
            ValidAlgorithms = [AccessTokens.Algorithm],
            ClockSkew = AccessTokens.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            NameClaimType = SwitchboardClaims.Name,
            RoleClaimType = SwitchboardClaims.Role,
            // The ring re-reads the key folder when it changes, so a rotation needs no restart.
            IssuerSigningKeyResolver = (_, _, kid, _) => ring.Keys
                .Where(k => string.IsNullOrEmpty(kid) || k.Kid == kid)
                .Select(k => (SecurityKey)k.PublicKey)
                .ToArray(),
        };
        options.Events = new LocalTokenEvents();
        // The same checks, with a valid token remembered briefly so its signature is not verified on every request.
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(new CachingTokenHandler(ring));
    }

    private static void ConfigureExternal(JwtBearerOptions options, ExternalIssuerOptions issuer)
    {
        options.MapInboundClaims = false;
        options.RequireHttpsMetadata = issuer.RequireHttpsMetadata;
        options.Audience = issuer.Audience;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = ExpectedIssuer(issuer),
            ValidAudience = issuer.Audience,
            ValidAlgorithms = ExternalAlgorithms,
            ClockSkew = AccessTokens.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            NameClaimType = SwitchboardClaims.Name,
            RoleClaimType = SwitchboardClaims.Role,
        };
        if (!string.IsNullOrWhiteSpace(issuer.JwksUrl))
        {
            // A bare JWKS URL: fetched and cached by the same configuration manager the handler uses for metadata.
            options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                issuer.JwksUrl,
                new JwksConfigurationRetriever(ExpectedIssuer(issuer)!),
                new HttpDocumentRetriever { RequireHttps = issuer.RequireHttpsMetadata });
        }
        else
        {
            options.Authority = issuer.Authority;
        }
        options.Events = new ExternalTokenEvents(issuer);
    }

    private static string? ExpectedIssuer(ExternalIssuerOptions issuer) =>
        string.IsNullOrWhiteSpace(issuer.Issuer) ? issuer.Authority : issuer.Issuer;
}
