using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Identity;
using Switchboard.Server.Tests.Infrastructure;
using static Switchboard.Server.Tests.Identity.IdentityApi;

namespace Switchboard.Server.Tests.Identity;

public sealed class ApiKeyTests(ApiKeyFixture fixture) : IClassFixture<ApiKeyFixture>
{
    private RunningServer Server => fixture.Server;

    public static TheoryData<string, string, string, int, bool> Matrix()
    {
        var data = new TheoryData<string, string, string, int, bool>();
        (string Key, string Method, string Path, int Status)[] rows =
        [
            // Admin rights, cut down to each key's scopes.
            ("admin-all", "GET", "v1/admin/users", 200),
            ("admin-all", "POST", "v1/admin/users", 400),
            ("admin-all", "GET", "v1/api-keys?all=true", 200),
            ("admin-users-read", "GET", "v1/admin/users", 200),
            ("admin-users-read", "POST", "v1/admin/users", 403),
            ("admin-users-read", "GET", "v1/api-keys", 403),
            ("admin-users-manage", "POST", "v1/admin/users", 400),
            ("admin-users-manage", "GET", "v1/admin/users", 403),
            // A plain user's keys never reach admin endpoints.
            ("user-apikeys", "GET", "v1/api-keys", 200),
            ("user-apikeys", "GET", "v1/api-keys?all=true", 403),
            ("user-apikeys", "GET", "v1/admin/users", 403),
            ("user-orders", "GET", "v1/api-keys", 403),
            ("user-orders", "GET", "v1/admin/users", 403),
            ("user-orders", "GET", "v1/auth/me", 200),
        ];
        foreach (var (key, method, path, status) in rows)
        {
            data.Add(key, method, path, status, true);
            data.Add(key, method, path, status, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_key_may_do_exactly_what_its_scopes_and_its_owner_allow(string key, string method, string path, int status, bool asBearer)
    {
        using var client = KeyClient(Server, fixture.Keys[key], asBearer);

        // An invalid body on POST: allowed callers get past authorization and then a 400, denied ones a 403.
        using var response = method == "POST"
            ? await client.PostAsJsonAsync(path, new { username = "x", password = "y", role = "user" })
            : await client.GetAsync(path);

        if (status == 403)
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
        }
        else
        {
            await ExpectAsync(response, (HttpStatusCode)status);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_api_key_principal_is_its_owner_limited_to_the_key_scopes(bool asBearer)
    {
        using var client = KeyClient(Server, fixture.Keys["user-orders"], asBearer);

        var me = await GetAsync(client, "v1/auth/me", HttpStatusCode.OK);

        Assert.Equal("erin", me.GetProperty("username").GetString());
        Assert.Equal("user", me.GetProperty("role").GetString());
        Assert.Equal("api_key", me.GetProperty("kind").GetString());
        Assert.Equal(["broker:publish:orders.eu.>"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        using var patch = await client.PatchAsJsonAsync("v1/auth/me", new { displayName = "changed by a key" });
        await ProblemAssert.IsProblemAsync(patch, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_key_is_shown_once_and_listed_without_its_secret()
    {
        var (token, _) = await LoginAsync(Server, "erin", ApiKeyFixture.UserPassword);
        using var user = Server.CreateClient(token);
        var expires = DateTimeOffset.UtcNow.AddDays(7);

        var created = await PostAsync(user, "v1/api-keys", new { name = "listed", scopes = new[] { "apikeys:manage" }, expiresAt = expires }, HttpStatusCode.Created);
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith($"sb_{Guid.Parse(id):N}_", key);
        Assert.True(key.Length >= 3 + 32 + 1 + 43);
        Assert.Equal(expires.ToUnixTimeSeconds(), created.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeSeconds());

        var list = await GetAsync(user, "v1/api-keys", HttpStatusCode.OK);
        var item = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id);
        Assert.False(item.TryGetProperty("key", out _));
        Assert.Equal("listed", item.GetProperty("name").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, item.GetProperty("lastUsedAt").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, item.GetProperty("revokedAt").ValueKind);
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("name").GetString()!.StartsWith("admin", StringComparison.Ordinal));

        using (var keyClient = KeyClient(Server, key, asBearer: true))
        {
            await GetAsync(keyClient, "v1/api-keys", HttpStatusCode.OK);
        }
        var used = (await GetAsync(user, "v1/api-keys", HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, used.GetProperty("lastUsedAt").ValueKind);
    }

    [Fact]
    public async Task A_key_cannot_be_minted_with_more_rights_than_its_creator_or_with_malformed_scopes()
    {
        var (token, _) = await LoginAsync(Server, "erin", ApiKeyFixture.UserPassword);
        using var user = Server.CreateClient(token);

        foreach (var scopes in new[] { new[] { "users:manage" }, ["broker:publish:payments.*"], ["broker:publish"], ["*"] })
        {
            using var escalate = await user.PostAsJsonAsync("v1/api-keys", new { name = "too much", scopes });
            await ProblemAssert.IsProblemAsync(escalate, HttpStatusCode.Forbidden, "insufficient_scope");
        }

        using var malformed = await user.PostAsJsonAsync("v1/api-keys", new { name = "bad", scopes = new[] { "Broker::x" } });
        var problem = await ProblemAssert.IsProblemAsync(malformed, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("scopes[0]", out _));

        using var none = await user.PostAsJsonAsync("v1/api-keys", new { name = "empty", scopes = Array.Empty<string>() });
        await ProblemAssert.IsProblemAsync(none, HttpStatusCode.BadRequest, "validation_failed");

        using var past = await user.PostAsJsonAsync("v1/api-keys", new { name = "past", scopes = new[] { "apikeys:manage" }, expiresAt = DateTimeOffset.UtcNow.AddDays(-1) });
        await ProblemAssert.IsProblemAsync(past, HttpStatusCode.BadRequest, "validation_failed");

        // A key may mint keys only within its own scopes.
        using var keyClient = KeyClient(Server, fixture.Keys["user-apikeys"], asBearer: false);
        using var fromKey = await keyClient.PostAsJsonAsync("v1/api-keys", new { name = "child", scopes = new[] { "broker:publish:orders.x" } });
        await ProblemAssert.IsProblemAsync(fromKey, HttpStatusCode.Forbidden, "insufficient_scope");
        await CreateKeyAsync(keyClient, "child", "apikeys:manage");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_revoked_key_is_refused_at_once(bool asBearer)
    {
        var (token, _) = await LoginAsync(Server, "erin", ApiKeyFixture.UserPassword);
        using var user = Server.CreateClient(token);
        var created = await PostAsync(user, "v1/api-keys", new { name = "to revoke", scopes = new[] { "apikeys:manage" } }, HttpStatusCode.Created);
        using var keyClient = KeyClient(Server, created.GetProperty("key").GetString()!, asBearer);
        await GetAsync(keyClient, "v1/api-keys", HttpStatusCode.OK);

        using var revoke = await user.DeleteAsync($"v1/api-keys/{created.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        using var response = await keyClient.GetAsync("v1/api-keys");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
        var listed = (await GetAsync(user, "v1/api-keys", HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("id").GetString() == created.GetProperty("id").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, listed.GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task Another_users_key_cannot_be_revoked_and_looks_missing()
    {
        var adminToken = await Server.LoginAsync();
        using var admin = Server.CreateClient(adminToken);
        var adminKeyId = (await GetAsync(admin, "v1/api-keys", HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("id").GetString();
        var (token, _) = await LoginAsync(Server, "erin", ApiKeyFixture.UserPassword);
        using var user = Server.CreateClient(token);

        using var response = await user.DeleteAsync($"v1/api-keys/{adminKeyId}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Expired_unknown_and_malformed_keys_are_401_problems(bool asBearer)
    {
        var store = Server.Services.GetRequiredService<IIdentityStore>();
        var owner = (await store.FindUserByNameAsync("erin").WaitAsync(TestTimeout))!;
        var id = Guid.CreateVersion7();
        var secret = Secrets.Random(32);
        var now = DateTimeOffset.UtcNow;
        await store.CreateApiKeyAsync(new ApiKey(id, owner.Id, "expired", Secrets.Hash(secret), ["apikeys:manage"], now.AddDays(-2), now.AddDays(-1), null, null)).WaitAsync(TestTimeout);
        var expired = $"sb_{id:N}_{secret}";

        foreach (var key in new[] { expired, $"sb_{id:N}_{Secrets.Random(32)}", $"sb_{Guid.CreateVersion7():N}_{secret}", "sb_nonsense" })
        {
            using var client = KeyClient(Server, key, asBearer);
            using var response = await client.GetAsync("v1/api-keys");
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
            Assert.NotEmpty(response.Headers.WwwAuthenticate);
        }
    }
}
