using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Identity;
using Switchboard.Server.Tests.Infrastructure;
using static Switchboard.Server.Tests.Identity.IdentityApi;

namespace Switchboard.Server.Tests.Identity;

public sealed class AccessTokenTests
{
    [Fact]
    public async Task A_token_verifies_with_only_the_public_jwks_fetched_over_http()
    {
        await using var server = await RunningServer.StartAsync();
        var token = await server.LoginAsync();
        using var client = server.CreateClient();

        var jwksJson = await client.GetStringAsync(".well-known/jwks.json");
        var keySet = new JsonWebKeySet(jwksJson);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "switchboard",
            ValidAudience = "switchboard",
            IssuerSigningKeys = keySet.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        }).WaitAsync(TestTimeout);

        Assert.True(result.IsValid, result.Exception?.ToString());
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal(keySet.Keys.Single().Kid, jwt.Kid);
        Assert.Equal("admin", jwt.GetClaim("name").Value);
        Assert.Equal("admin", jwt.GetClaim("role").Value);
        Assert.Equal("user", jwt.GetClaim("sb_kind").Value);
        Assert.True(Guid.TryParse(jwt.Subject, out _));
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.Equal(TimeSpan.FromMinutes(15), jwt.ValidTo - jwt.IssuedAt);

        using var jwks = JsonDocument.Parse(jwksJson);
        var key = jwks.RootElement.GetProperty("keys")[0];
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.False(key.TryGetProperty("d", out _));

        var discovery = await GetAsync(client, ".well-known/openid-configuration", HttpStatusCode.OK);
        Assert.Equal("switchboard", discovery.GetProperty("issuer").GetString());
        Assert.Equal(new Uri(server.BaseAddress, ".well-known/jwks.json").ToString(), discovery.GetProperty("jwks_uri").GetString());
        Assert.Equal(new Uri(server.BaseAddress, "v1/auth/token").ToString(), discovery.GetProperty("token_endpoint").GetString());
        Assert.Equal(["ES256"], discovery.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
    }

    public static TheoryData<string> ForgedTokens => new()
    {
        "expired",
        "tampered",
        "wrong-issuer",
        "wrong-audience",
        "alg-none",
        "hs256-with-public-key",
        "unknown-key",
        "not-a-jwt",
    };

    [Theory]
    [MemberData(nameof(ForgedTokens))]
    public async Task Invalid_tokens_are_401_problems_with_invalid_token(string kind)
    {
        await using var server = await RunningServer.StartAsync();
        var valid = await server.LoginAsync();
        using (var ok = server.CreateClient(valid))
        {
            await GetAsync(ok, "v1/auth/me", HttpStatusCode.OK);
        }
        var ring = server.Services.GetRequiredService<SigningKeyRing>();
        var subject = new JsonWebToken(valid).Subject;
        using var anonymous = server.CreateClient();
        var publicJwk = new JsonWebKeySet(await anonymous.GetStringAsync(".well-known/jwks.json")).Keys.Single();

        var token = kind switch
        {
            "expired" => Sign(ring.Current.PrivateKey, subject, expires: DateTime.UtcNow.AddMinutes(-5)),
            "tampered" => Tamper(valid),
            "wrong-issuer" => Sign(ring.Current.PrivateKey, subject, issuer: "someone-else"),
            "wrong-audience" => Sign(ring.Current.PrivateKey, subject, audience: "another-service"),
            "alg-none" => Unsigned(valid),
            "hs256-with-public-key" => SignHmacWithPublicKey(valid, publicJwk),
            "unknown-key" => Sign(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = ring.Current.Kid }, subject),
            _ => "definitely-not-a-jwt",
        };
        using var client = server.CreateClient(token);

        using var response = await client.GetAsync("v1/auth/me");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter);
    }

    [Theory]
    [InlineData("v1/queues")]
    [InlineData("v1/topics")]
    [InlineData("v1/stats")]
    public async Task An_expired_token_on_broker_topic_and_stats_routes_is_invalid_token_with_a_challenge(string path)
    {
        await using var server = await RunningServer.StartAsync();
        var valid = await server.LoginAsync();
        var ring = server.Services.GetRequiredService<SigningKeyRing>();
        var expired = Sign(ring.Current.PrivateKey, new JsonWebToken(valid).Subject, expires: DateTime.UtcNow.AddMinutes(-5));
        using var client = server.CreateClient(expired);

        using var response = await client.GetAsync(path);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter);
    }

    internal static string Sign(SecurityKey key, string subject, string issuer = "switchboard", string audience = "switchboard", DateTime? expires = null)
    {
        var end = expires ?? DateTime.UtcNow.AddMinutes(5);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = end.AddMinutes(-15),
            NotBefore = end.AddMinutes(-15),
            Expires = end,
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["name"] = "admin", ["role"] = "admin", ["sb_kind"] = "user", ["jti"] = Guid.NewGuid().ToString() },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>Changes the role in the payload and keeps the original signature.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("\"role\":\"admin\"", "\"role\":\"admln\"", StringComparison.Ordinal);
        Assert.Contains("admln", payload);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }

    private static string Unsigned(string token)
    {
        var payload = token.Split('.')[1];
        return $"{Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{payload}.";
    }

    /// <summary>The classic algorithm-confusion forgery: HMAC keyed with the server's public key.</summary>
    private static string SignHmacWithPublicKey(string token, JsonWebKey publicJwk)
    {
        var parts = token.Split('.');
        var header = Base64UrlEncoder.Encode($"{{\"alg\":\"HS256\",\"kid\":\"{publicJwk.Kid}\",\"typ\":\"JWT\"}}");
        var secret = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { crv = publicJwk.Crv, kty = publicJwk.Kty, x = publicJwk.X, y = publicJwk.Y }));
        var signature = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes($"{header}.{parts[1]}"));
        return $"{header}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
    }
}
