using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Gateway.Tests.Infrastructure;

namespace Switchboard.Gateway.Tests.Edge;

/// <summary>The backend publishes its keys like a node; the gateway validates with them and refuses bad tokens itself.</summary>
public sealed class EdgeAuthenticationTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = RunningGateway.Timeout;

    private Backend _node = null!;
    private RunningGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _node = await Backend.StartAsync("node");
        var settings = RunningGateway.Destinations(_node);
        settings["Gateway:Auth:JwksUrl"] = _node.Url + "/.well-known/jwks.json";
        settings["Gateway:Upstreams:private:Path"] = "/private/{**rest}";
        settings["Gateway:Upstreams:private:Destinations:0"] = _node.Url;
        settings["Gateway:Upstreams:private:RequireAuth"] = "true";
        _gateway = await RunningGateway.StartAsync(settings);
    }

    private async Task<(HttpStatusCode Status, JsonElement? Problem)> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await _gateway.Client.SendAsync(request).WaitAsync(Timeout);
        JsonElement? problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout)
            : null;
        return (response.StatusCode, problem);
    }

    [Fact]
    public async Task A_valid_token_passes_and_bad_ones_are_refused_at_the_edge_without_reaching_the_node()
    {
        var stranger = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "node-key-1" };

        var valid = await GetAsync("/v1/auth/me", _node.Issue("ana"));
        var forged = await GetAsync("/v1/auth/me", _node.Issue("ana", key: stranger));
        var expired = await GetAsync("/v1/auth/me", _node.Issue("ana", lifetime: TimeSpan.FromMinutes(-5)));
        var garbage = await GetAsync("/v1/auth/me", "not-a-token");

        Assert.Equal(HttpStatusCode.OK, valid.Status);
        foreach (var refused in new[] { forged, expired, garbage })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
            Assert.Equal("invalid_token", refused.Problem!.Value.GetProperty("code").GetString());
        }
        Assert.Equal(1, _node.Count);
    }

    [Fact]
    public async Task A_token_signed_with_a_key_rotated_in_after_start_is_accepted()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/v1/auth/me", _node.Issue("ana"))).Status);

        _node.RotateKey();
        var afterRotation = await GetAsync("/v1/auth/me", _node.Issue("ana"));

        Assert.Equal(HttpStatusCode.OK, afterRotation.Status);
    }

    [Fact]
    public async Task Api_keys_anonymous_calls_and_other_issuers_tokens_are_left_to_the_nodes()
    {
        var apiKey = await GetAsync("/v1/queues", "sb_0123456789abcdef0123456789abcdef_secret");
        var anonymous = await GetAsync("/v1/auth/token", null);
        var external = await GetAsync("/v1/auth/me", _node.Issue("ana", issuer: "https://sso.example.com/realms/x"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { apiKey.Status, anonymous.Status, external.Status });
        Assert.Equal(3, _node.Count);
    }

    [Fact]
    public async Task An_upstream_route_that_requires_auth_refuses_a_call_without_a_valid_token()
    {
        var without = await GetAsync("/private/report", null);
        var withApiKey = await GetAsync("/private/report", "sb_0123456789abcdef0123456789abcdef_secret");
        var with = await GetAsync("/private/report", _node.Issue("ana"));

        Assert.Equal(HttpStatusCode.Unauthorized, without.Status);
        Assert.Equal("unauthorized", without.Problem!.Value.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, withApiKey.Status);
        Assert.Equal(HttpStatusCode.OK, with.Status);
        Assert.Equal("/private/report", Assert.Single(_node.Seen).PathAndQuery);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _node.DisposeAsync();
    }
}
