using System.Net;
using System.Net.Http.Json;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Chat;

/// <summary>Chat over REST: idempotent send under concurrent retries, hidden conversations, and bad input as 4xx problems.</summary>
public sealed class ChatApiTests : IAsyncLifetime
{
    private ChatFixture _chat = null!;

    public async Task InitializeAsync() => _chat = await ChatFixture.StartAsync(new Dictionary<string, string?>
    {
        ["Chat:MaxGroupMembers"] = "4",
        ["Http:RateLimits:Enabled"] = "false",
    });

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    [Fact]
    public async Task Concurrent_retries_of_one_send_store_one_message()
    {
        var alice = await _chat.CreateUserAsync("alice");
        var bob = await _chat.CreateUserAsync("bob");
        var id = await alice.CreateConversationAsync("private", null, bob.Id);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var response = await alice.Http.PostAsJsonAsync($"v1/conversations/{id}/messages", new { clientMessageId = "retry-me", text = "once" });
            var body = await ChatFixture.ExpectAsync(response, response.StatusCode == HttpStatusCode.Created ? HttpStatusCode.Created : HttpStatusCode.OK);
            return (response.StatusCode, Id: body.GetProperty("id").GetGuid(), Seq: body.GetProperty("seq").GetInt64());
        }));

        Assert.Single(attempts, a => a.StatusCode == HttpStatusCode.Created);
        Assert.Single(attempts.Select(a => a.Id).Distinct());
        Assert.All(attempts, a => Assert.Equal(1, a.Seq));
        var history = await bob.GetAsync($"v1/conversations/{id}/messages");
        Assert.Equal(1, history.GetProperty("items").GetArrayLength());

        // Another sender may use the same client id for their own message.
        var bobs = await bob.PostAsync($"v1/conversations/{id}/messages", new { clientMessageId = "retry-me", text = "mine" }, HttpStatusCode.Created);
        Assert.Equal(2, bobs.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task A_non_member_gets_404_for_history_and_cannot_tell_it_exists()
    {
        var alice = await _chat.CreateUserAsync("alice");
        var bob = await _chat.CreateUserAsync("bob");
        var eve = await _chat.CreateUserAsync("eve");
        var id = await alice.CreateConversationAsync("private", null, bob.Id);
        await alice.PostAsync($"v1/conversations/{id}/messages", new { text = "secret" }, HttpStatusCode.Created);

        foreach (var path in new[] { $"v1/conversations/{id}/messages", $"v1/conversations/{id}", $"v1/conversations/{id}/sync?afterSeq=0&afterChangeSeq=0", $"v1/conversations/{id}/members" })
        {
            using var hidden = await eve.Http.GetAsync(path);
            var problem = await ProblemAssert.IsProblemAsync(hidden, HttpStatusCode.NotFound, "conversation_not_found");
            using var missing = await eve.Http.GetAsync(path.Replace(id.ToString(), Guid.NewGuid().ToString(), StringComparison.Ordinal));
            var other = await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.NotFound, "conversation_not_found");
            Assert.Equal(problem.GetProperty("title").GetString(), other.GetProperty("title").GetString());
        }
        using var send = await eve.Http.PostAsJsonAsync($"v1/conversations/{id}/messages", new { text = "let me in" });
        await ProblemAssert.IsProblemAsync(send, HttpStatusCode.NotFound, "conversation_not_found");
        var search = await eve.GetAsync("v1/search/messages?q=secret");
        Assert.Equal(0, search.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Bad_input_over_REST_is_a_4xx_problem_with_a_code()
    {
        var alice = await _chat.CreateUserAsync("alice");
        var bob = await _chat.CreateUserAsync("bob");
        var users = new List<ChatUser>();
        for (var i = 0; i < 4; i++)
        {
            users.Add(await _chat.CreateUserAsync($"member{i}"));
        }
        var id = await alice.CreateConversationAsync("private", null, bob.Id);

        async Task ProblemAsync(HttpStatusCode status, string code, Func<Task<HttpResponseMessage>> send)
        {
            using var response = await send();
            await ProblemAssert.IsProblemAsync(response, status, code);
        }

        await ProblemAsync(HttpStatusCode.BadRequest, "validation_failed", () => alice.Http.PostAsJsonAsync($"v1/conversations/{id}/messages", new { text = "" }));
        await ProblemAsync(HttpStatusCode.BadRequest, "validation_failed", () => alice.Http.PostAsJsonAsync($"v1/conversations/{id}/messages", new { }));
        await ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "text_too_long",
            () => alice.Http.PostAsJsonAsync($"v1/conversations/{id}/messages", new { text = new string('é', 8 * 1024 + 1) }));
        await ProblemAsync(HttpStatusCode.NotFound, "conversation_not_found", () => alice.Http.PostAsJsonAsync($"v1/conversations/{Guid.NewGuid()}/messages", new { text = "hi" }));
        await ProblemAsync(HttpStatusCode.NotFound, "chat_message_not_found",
            () => alice.Http.PatchAsync($"v1/conversations/{id}/messages/{Guid.NewGuid()}", JsonContent.Create(new { text = "edit" })));
        await ProblemAsync(HttpStatusCode.BadRequest, "validation_failed", () => alice.Http.PostAsJsonAsync("v1/conversations", new { kind = "party", members = new[] { bob.Id } }));
        await ProblemAsync(HttpStatusCode.BadRequest, "validation_failed", () => alice.Http.PostAsJsonAsync("v1/conversations", new { kind = "private", members = Array.Empty<string>() }));
        await ProblemAsync(HttpStatusCode.NotFound, "user_not_found", () => alice.Http.PostAsJsonAsync("v1/conversations", new { kind = "private", members = new[] { Guid.NewGuid().ToString() } }));
        await ProblemAsync(HttpStatusCode.Conflict, "too_many_members",
            () => alice.Http.PostAsJsonAsync("v1/conversations", new { kind = "group", name = "crowd", members = users.Select(u => u.Id).ToArray() }));
        await ProblemAsync(HttpStatusCode.BadRequest, "validation_failed", () => alice.Http.GetAsync($"v1/conversations/{id}/messages?limit=201"));
        await ProblemAsync(HttpStatusCode.BadRequest, "validation_failed", () => alice.Http.PostAsJsonAsync($"v1/conversations/{id}/read", new { }));

        // Within the limit it works, and a fifth member is refused.
        var group = await alice.CreateConversationAsync("group", "team", users[0].Id, users[1].Id, users[2].Id);
        await ProblemAsync(HttpStatusCode.Conflict, "too_many_members", () => alice.Http.PostAsJsonAsync($"v1/conversations/{group}/members", new { userId = users[3].Id }));
        await alice.PostAsync($"v1/conversations/{group}/messages", new { text = "fine" }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Conversations_list_with_their_last_message_and_unread_count_and_rooms_are_public()
    {
        var alice = await _chat.CreateUserAsync("alice");
        var bob = await _chat.CreateUserAsync("bob");
        var id = await alice.CreateConversationAsync("private", null, bob.Id);
        Assert.Equal(id, await bob.CreateConversationAsync("private", null, alice.Id));
        await alice.PostAsync($"v1/conversations/{id}/messages", new { text = "one" }, HttpStatusCode.Created);
        await alice.PostAsync($"v1/conversations/{id}/messages", new { text = "two lemons" }, HttpStatusCode.Created);

        var mine = await bob.GetAsync("v1/conversations");
        var summary = mine.GetProperty("items")[0];
        Assert.Equal(id, summary.GetProperty("conversation").GetProperty("id").GetGuid());
        Assert.Equal("private", summary.GetProperty("conversation").GetProperty("kind").GetString());
        Assert.Equal("two lemons", summary.GetProperty("lastMessage").GetProperty("text").GetString());
        Assert.Equal(2, summary.GetProperty("unread").GetInt64());
        await bob.PostAsync($"v1/conversations/{id}/read", new { readSeq = 2 }, HttpStatusCode.OK);
        Assert.Equal(0, (await bob.GetAsync("v1/conversations")).GetProperty("items")[0].GetProperty("unread").GetInt64());

        var found = await bob.GetAsync($"v1/search/messages?q=lemons&conversationId={id}");
        Assert.Equal("two lemons", found.GetProperty("items")[0].GetProperty("text").GetString());

        var room = await alice.CreateConversationAsync("room", "lobby");
        var rooms = await bob.GetAsync("v1/rooms");
        Assert.Contains(rooms.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetGuid() == room);
        await bob.PostAsync($"v1/rooms/{room}/join", new { }, HttpStatusCode.OK);
        Assert.Equal(2, (await bob.GetAsync($"v1/conversations/{room}")).GetProperty("memberCount").GetInt32());
        using var left = await bob.Http.PostAsync($"v1/rooms/{room}/leave", null);
        Assert.Equal(HttpStatusCode.NoContent, left.StatusCode);
        Assert.Equal("offline", (await bob.GetAsync($"v1/users/{alice.Id}/presence")).GetProperty("status").GetString());
    }
}
