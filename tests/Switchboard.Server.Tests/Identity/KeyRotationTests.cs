using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Identity;
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
}
