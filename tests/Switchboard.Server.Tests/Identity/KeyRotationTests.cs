using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Identity;
using Switchboard.Server.Identity;
using Switchboard.Server.Tests.Infrastructure;
using static Switchboard.Server.Tests.Identity.IdentityApi;

namespace Switchboard.Server.Tests.Identity;

public sealed class KeyRotationTests
{
    [Fact]
    public async Task After_a_rotation_new_tokens_use_the_new_key_and_old_tokens_still_verify()
    {
        await using var server = await RunningServer.StartAsync();
        var before = await server.LoginAsync();
        var oldKid = new JsonWebToken(before).Kid;
        using var anonymous = server.CreateClient();

        // What `switchboard keys rotate` does, while the server runs.
        var newKid = SigningKeyRing.Rotate(server.DataPath);

        var deadline = DateTime.UtcNow + TestTimeout;
        JsonWebKeySet jwks;
        do
        {
            jwks = new JsonWebKeySet(await anonymous.GetStringAsync(".well-known/jwks.json"));
            if (jwks.Keys.Count == 2)
            {
                break;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Equal(new[] { oldKid, newKid }.Order(StringComparer.Ordinal), jwks.Keys.Select(k => k.Kid).Order(StringComparer.Ordinal));

        var after = await server.LoginAsync();
        Assert.Equal(newKid, new JsonWebToken(after).Kid);

        foreach (var token in new[] { before, after })
        {
            using var client = server.CreateClient(token);
            await GetAsync(client, "v1/auth/me", HttpStatusCode.OK);
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
            {
                ValidIssuer = "switchboard",
                ValidAudience = "switchboard",
                IssuerSigningKeys = jwks.GetSigningKeys(),
            }).WaitAsync(TestTimeout);
            Assert.True(result.IsValid, result.Exception?.ToString());
        }
    }

    [Fact]
    public async Task A_token_already_used_stops_working_once_its_signing_key_is_removed()
    {
        await using var server = await RunningServer.StartAsync();
        var token = await server.LoginAsync();
        var oldKid = new JsonWebToken(token).Kid;
        using var client = server.CreateClient(token);
        // Validated once and remembered by the server, so the next check must notice the key ring changed.
        await GetAsync(client, "v1/auth/me", HttpStatusCode.OK);
        await GetAsync(client, "v1/auth/me", HttpStatusCode.OK);

        SigningKeyRing.Rotate(server.DataPath);
        foreach (var file in Directory.GetFiles(Path.Combine(server.DataPath, SigningKeyRing.FolderName), $"*-{oldKid}.key.json"))
        {
            File.Delete(file);
        }

        // Refused before a remembered validation would have aged out: the ring change, not the age, drops it.
        var deadline = DateTime.UtcNow + CachingTokenHandler.MaxAge - TimeSpan.FromSeconds(5);
        HttpStatusCode status;
        do
        {
            using var response = await client.GetAsync("v1/auth/me");
            status = response.StatusCode;
            if (status == HttpStatusCode.Unauthorized)
            {
                break;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }
}
