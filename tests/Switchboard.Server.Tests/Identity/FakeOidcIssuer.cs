using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Switchboard.Server.Tests.Identity;

/// <summary>
/// A tiny OIDC issuer on loopback, like a Keycloak realm: discovery at <c>/realms/test</c>, its JWKS,
/// and a second issuer at <c>/plain</c> that only publishes a bare JWKS URL. Tokens are RS256.
/// </summary>
internal sealed class FakeOidcIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "fake-rsa-1" };

    private FakeOidcIssuer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public string RealmIssuer => BaseUrl + "/realms/test";

    public string PlainIssuer => BaseUrl + "/plain";

    public static async Task<FakeOidcIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var issuer = new FakeOidcIssuer(builder.Build());
        issuer.Map();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await issuer._app.StartAsync(timeout.Token);
        issuer.BaseUrl = issuer._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return issuer;
    }

    private void Map()
    {
        _app.MapGet("/realms/test/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = RealmIssuer,
            ["jwks_uri"] = RealmIssuer + "/protocol/openid-connect/certs",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        _app.MapGet("/realms/test/protocol/openid-connect/certs", Jwks);
        _app.MapGet("/plain/jwks", Jwks);
    }

    private IResult Jwks()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId });
        return Results.Json(new { keys = new[] { new { kty = jwk.Kty, use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } });
    }

    /// <summary>A token of this issuer (or, with <paramref name="issuer"/>, one claiming to be from elsewhere).</summary>
    public string Issue(string subject, string audience, string[] roles, string? issuer = null, RsaSecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? RealmIssuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = subject,
                ["preferred_username"] = subject + "-name",
                ["roles"] = roles,
                ["scope"] = "openid profile email",
            },
            SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _key.Rsa.Dispose();
    }
}
