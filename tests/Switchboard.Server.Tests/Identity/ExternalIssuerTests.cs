using System.Net;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Server.Tests.Infrastructure;
using static Switchboard.Server.Tests.Identity.IdentityApi;

namespace Switchboard.Server.Tests.Identity;

public sealed class ExternalIssuerTests
{
    private const string Audience = "switchboard-api";

    private static async Task<(FakeOidcIssuer Issuer, RunningServer Server)> StartAsync()
    {
        var issuer = await FakeOidcIssuer.StartAsync().WaitAsync(TestTimeout);
        var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Identity:ExternalIssuers:0:Name"] = "keycloak",
            ["Identity:ExternalIssuers:0:Authority"] = issuer.RealmIssuer,
            ["Identity:ExternalIssuers:0:Audience"] = Audience,
            ["Identity:ExternalIssuers:0:RoleClaim"] = "roles",
            ["Identity:ExternalIssuers:0:AdminRole"] = "switchboard-admin",
            ["Identity:ExternalIssuers:0:RequireHttpsMetadata"] = "false",
            ["Identity:ExternalIssuers:1:Name"] = "plain",
            ["Identity:ExternalIssuers:1:Issuer"] = issuer.PlainIssuer,
            ["Identity:ExternalIssuers:1:JwksUrl"] = issuer.PlainIssuer + "/jwks",
            ["Identity:ExternalIssuers:1:Audience"] = Audience,
            ["Identity:ExternalIssuers:1:RequireHttpsMetadata"] = "false",
        });
        return (issuer, server);
    }

    [Fact]
    public async Task Tokens_of_a_configured_issuer_are_accepted_with_the_mapped_role()
    {
        var (issuer, server) = await StartAsync();
        await using var _ = issuer;
        await using var __ = server;

        using (var admin = server.CreateClient(issuer.Issue("kc-admin", Audience, ["switchboard-admin", "offline_access"])))
        {
            var me = await GetAsync(admin, "v1/auth/me", HttpStatusCode.OK);
            Assert.Equal("kc-admin", me.GetProperty("id").GetString());
            Assert.Equal("kc-admin-name", me.GetProperty("username").GetString());
            Assert.Equal("admin", me.GetProperty("role").GetString());
            Assert.Equal("external", me.GetProperty("kind").GetString());
            Assert.Equal(["*"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
            await GetAsync(admin, "v1/admin/users", HttpStatusCode.OK);
        }

        using var user = server.CreateClient(issuer.Issue("kc-user", Audience, ["viewer"]));
        Assert.Equal("user", (await GetAsync(user, "v1/auth/me", HttpStatusCode.OK)).GetProperty("role").GetString());
        using var forbidden = await user.GetAsync("v1/admin/users");
        await ProblemAssert.IsProblemAsync(forbidden, HttpStatusCode.Forbidden, "insufficient_scope");
        // External accounts own no local API keys.
        using var keys = await user.GetAsync("v1/api-keys");
        await ProblemAssert.IsProblemAsync(keys, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task An_issuer_known_only_by_its_jwks_url_is_accepted()
    {
        var (issuer, server) = await StartAsync();
        await using var _ = issuer;
        await using var __ = server;
        using var client = server.CreateClient(issuer.Issue("plain-user", Audience, ["admin"], issuer: issuer.PlainIssuer));

        var me = await GetAsync(client, "v1/auth/me", HttpStatusCode.OK);

        Assert.Equal("external", me.GetProperty("kind").GetString());
        Assert.Equal("admin", me.GetProperty("role").GetString());
    }

    [Theory]
    [InlineData("unknown-issuer")]
    [InlineData("wrong-audience")]
    [InlineData("foreign-key")]
    public async Task Tokens_from_unknown_issuers_or_not_meant_for_us_are_refused(string kind)
    {
        var (issuer, server) = await StartAsync();
        await using var _ = issuer;
        await using var __ = server;
        using var rsa = RSA.Create(2048);
        var foreignKey = new RsaSecurityKey(rsa) { KeyId = "fake-rsa-1" };
        var token = kind switch
        {
            "unknown-issuer" => issuer.Issue("someone", Audience, ["switchboard-admin"], issuer: issuer.BaseUrl + "/realms/other"),
            "wrong-audience" => issuer.Issue("someone", "another-app", ["switchboard-admin"]),
            _ => issuer.Issue("someone", Audience, ["switchboard-admin"], key: foreignKey),
        };
        using var client = server.CreateClient(token);

        using var response = await client.GetAsync("v1/auth/me");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }
}
