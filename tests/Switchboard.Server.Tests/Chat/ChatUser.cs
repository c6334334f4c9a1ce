using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.Server.Tests.Chat;

/// <summary>A chat user of the test server with its own authenticated HTTP client.</summary>
internal sealed record ChatUser(string Id, string Username, string Token, HttpClient Http)
{
    public async Task<JsonElement> PostAsync(string path, object body, HttpStatusCode status)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        return await ChatFixture.ExpectAsync(response, status);
    }

    public async Task<JsonElement> GetAsync(string path, HttpStatusCode status = HttpStatusCode.OK)
    {
        using var response = await Http.GetAsync(path);
        return await ChatFixture.ExpectAsync(response, status);
    }

    /// <summary>Creates a conversation and returns its id.</summary>
    public async Task<Guid> CreateConversationAsync(string kind, string? name = null, params string[] members)
    {
        using var response = await Http.PostAsJsonAsync("v1/conversations", new { kind, name, members });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Creating a {kind} failed with {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }
}
