using System.Net;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Chat;

/// <summary>The user directory any chat user may search, and conversations started by username.</summary>
public sealed class ChatDirectoryTests : IAsyncLifetime
{
    private ChatFixture _chat = null!;

    public async Task InitializeAsync() => _chat = await ChatFixture.StartAsync(new Dictionary<string, string?> { ["Http:RateLimits:Enabled"] = "false" });

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    [Fact]
    public async Task Any_chat_user_finds_users_by_username_prefix_with_their_presence()
    {
        var alice = await _chat.CreateUserAsync("alice");
        var bob = await _chat.CreateUserAsync("bob_smith");
        await _chat.CreateUserAsync("bobby");
        await _chat.CreateUserAsync("bo.x");
        await _chat.CreateUserAsync("carol");

        var found = await alice.GetAsync("v1/users?q=BOB");
        var underscore = await alice.GetAsync("v1/users?q=bob_");
        var wildcard = await alice.GetAsync("v1/users?q=b%25");

        var names = found.EnumerateArray().Select(u => u.GetProperty("username").GetString()!).ToArray();
        Assert.Equal(["bob_smith", "bobby"], names);
        var first = found[0];
        Assert.Equal(bob.Id, first.GetProperty("id").GetString());
        Assert.Equal("offline", first.GetProperty("presence").GetProperty("status").GetString());
        Assert.False(first.TryGetProperty("role", out _));
        Assert.Equal(["bob_smith"], underscore.EnumerateArray().Select(u => u.GetProperty("username").GetString()!).ToArray());
        Assert.Equal(0, wildcard.GetArrayLength());
    }

    [Fact]
    public async Task The_directory_needs_a_query_and_credentials_and_admins_keep_their_full_listing()
    {
        var alice = await _chat.CreateUserAsync("alice");
        using var anonymous = _chat.Server.CreateClient();
        using var admin = _chat.Server.CreateClient(_chat.AdminToken);

        using var noQuery = await alice.Http.GetAsync("v1/users");
        using var tooMany = await alice.Http.GetAsync("v1/users?q=a&limit=51");
        using var unauthenticated = await anonymous.GetAsync("v1/users?q=a");
        using var listing = await admin.GetAsync("v1/admin/users");
        using var userListing = await alice.Http.GetAsync("v1/admin/users");

        await ProblemAssert.IsProblemAsync(noQuery, HttpStatusCode.BadRequest, "validation_failed");
        await ProblemAssert.IsProblemAsync(tooMany, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, userListing.StatusCode);
    }

    [Fact]
    public async Task A_conversation_can_name_its_members_by_username()
    {
        var alice = await _chat.CreateUserAsync("alice");
        var bob = await _chat.CreateUserAsync("bob");
        var carol = await _chat.CreateUserAsync("carol");

        var byName = await alice.CreateConversationAsync("private", null, "Bob");
        var byId = await alice.CreateConversationAsync("private", null, bob.Id);
        var group = await alice.CreateConversationAsync("group", "trio", "bob", carol.Id);
        var members = await alice.GetAsync($"v1/conversations/{group}/members");
        using var unknown = await alice.Http.PostAsync("v1/conversations",
            System.Net.Http.Json.JsonContent.Create(new { kind = "private", members = new[] { "nobody-here" } }));

        Assert.Equal(byId, byName);
        Assert.Equal(new[] { alice.Id, bob.Id, carol.Id }.Order(), members.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("userId").GetString()!).Order());
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound, "user_not_found");
    }
}
