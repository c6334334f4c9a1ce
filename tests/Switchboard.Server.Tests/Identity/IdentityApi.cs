using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Identity;

/// <summary>Small helpers over the identity endpoints, so each test reads as the flow it checks.</summary>
internal static class IdentityApi
{
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> PostAsync(HttpClient client, string path, object body, HttpStatusCode status)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        return await ExpectAsync(response, status);
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, string path, HttpStatusCode status)
    {
        using var response = await client.GetAsync(path);
        return await ExpectAsync(response, status);
    }

    public static async Task<JsonElement> PatchAsync(HttpClient client, string path, object body, HttpStatusCode status)
    {
        using var response = await client.PatchAsJsonAsync(path, body);
        return await ExpectAsync(response, status);
    }

    public static async Task<(string Access, string Refresh)> LoginAsync(RunningServer server, string username, string password)
    {
        using var client = server.CreateClient();
        var tokens = await PostAsync(client, "v1/auth/token", new { username, password }, HttpStatusCode.OK);
        return (tokens.GetProperty("accessToken").GetString()!, tokens.GetProperty("refreshToken").GetString()!);
    }

    public static async Task<string> CreateUserAsync(RunningServer server, string adminToken, string username, string password, string role = "user")
    {
        using var admin = server.CreateClient(adminToken);
        var user = await PostAsync(admin, "v1/admin/users", new { username, password, role }, HttpStatusCode.Created);
        return user.GetProperty("id").GetString()!;
    }

    public static async Task<string> CreateKeyAsync(HttpClient client, string name, params string[] scopes)
    {
        var created = await PostAsync(client, "v1/api-keys", new { name, scopes }, HttpStatusCode.Created);
        return created.GetProperty("key").GetString()!;
    }

    /// <summary>A client that sends <paramref name="key"/> either as a Bearer token or in X-Api-Key.</summary>
    public static HttpClient KeyClient(RunningServer server, string key, bool asBearer)
    {
        var client = server.CreateClient();
        if (asBearer)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        else
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        return client;
    }
}
