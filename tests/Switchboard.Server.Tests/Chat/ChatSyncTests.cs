using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Switchboard.Server.Chat;

namespace Switchboard.Server.Tests.Chat;

/// <summary>
/// Gapless sync: a client that disconnects, misses new messages, an edit, a delete, a reaction and receipts, then
/// reconnects and syncs ends with exactly the state of a client that never left, and of the server's history.
/// </summary>
public sealed class ChatSyncTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = ChatHubClient.Timeout;

    private ChatFixture _chat = null!;

    public async Task InitializeAsync() => _chat = await ChatFixture.StartAsync();

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_that_reconnects_and_syncs_has_what_it_would_have_had_if_it_never_left(bool messagePack)
    {
        var alice = await _chat.CreateUserAsync("alice");
        var bob = await _chat.CreateUserAsync("bob");
        var carol = await _chat.CreateUserAsync("carol");
        var id = await alice.CreateConversationAsync("group", "trio", bob.Id, carol.Id);
        await using var steady = await _chat.ConnectAsync(bob, messagePack: !messagePack);
        var steadyState = new ClientState();
        steady.Connection.On<ChatMessageView>("MessageReceived", steadyState.Apply);
        steady.Connection.On<ChatMessageView>("MessageUpdated", steadyState.Apply);
        steady.Connection.On<ReadReceiptView>("ReadReceipt", steadyState.Apply);

        // The roaming client starts like any client: a sync from nothing, then live events.
        var roamingState = new ClientState();
        var roaming = await _chat.ConnectAsync(bob, messagePack);
        roaming.Connection.On<ChatMessageView>("MessageReceived", roamingState.Apply);
        roaming.Connection.On<ChatMessageView>("MessageUpdated", roamingState.Apply);
        roaming.Connection.On<ReadReceiptView>("ReadReceipt", roamingState.Apply);
        roamingState.Apply(await roaming.Connection.InvokeAsync<SyncView>("Sync", id.ToString(), 0L, 0L).WaitAsync(Timeout));

        var first = new List<Guid>();
        for (var i = 1; i <= 3; i++)
        {
            first.Add((await SendAsync(alice, id, $"before {i}")).GetProperty("id").GetGuid());
        }
        await roaming.WaitForAsync<ChatMessageView>("MessageReceived", m => m.Id == first[^1]);
        await roaming.DisposeAsync();

        // Missed while away: new messages, an edit, a delete, a reaction, and receipts (one of them by bob's other device).
        var fourth = (await SendAsync(alice, id, "missed 4")).GetProperty("id").GetGuid();
        await SendAsync(carol, id, "missed 5");
        await Expect(await alice.Http.PatchAsync($"v1/conversations/{id}/messages/{first[1]}", JsonContent.Create(new { text = "before 2 (edited)" })));
        await Expect(await alice.Http.DeleteAsync($"v1/conversations/{id}/messages/{first[2]}"));
        await Expect(await carol.Http.PostAsJsonAsync($"v1/conversations/{id}/messages/{first[0]}/reactions", new { emoji = "👍" }));
        await Expect(await alice.Http.PatchAsync($"v1/conversations/{id}/messages/{fourth}", JsonContent.Create(new { text = "missed 4 (edited)" })));
        await steady.Connection.InvokeAsync<ReadReceiptView>("MarkRead", id.ToString(), 4L).WaitAsync(Timeout);
        await Expect(await carol.Http.PostAsJsonAsync($"v1/conversations/{id}/read", new { readSeq = 5 }));

        // The steady client has seen all of it live.
        await steady.WaitForAsync<ReadReceiptView>("ReadReceipt", r => r.UserId == carol.Id && r.ReadSeq == 5);
        await steady.WaitForAsync<ChatMessageView>("MessageUpdated", m => m.Id == fourth);
        await steady.WaitForAsync<ChatMessageView>("MessageUpdated", m => m.Id == first[0] && m.Reactions.Count == 1);

        // Reconnect and sync from what the roaming client knew; page until nothing more.
        await using var back = await _chat.ConnectAsync(bob, messagePack);
        var (afterSeq, afterChangeSeq) = roamingState.Cursor;
        Assert.Equal(3, afterSeq);
        SyncView sync;
        do
        {
            sync = await back.Connection.InvokeAsync<SyncView>("Sync", id.ToString(), afterSeq, afterChangeSeq).WaitAsync(Timeout);
            roamingState.Apply(sync);
            (afterSeq, afterChangeSeq) = (sync.NextSeq, sync.LastChangeSeq);
        }
        while (sync.HasMore);
        Assert.Equal(5, sync.LastSeq);
        Assert.Contains(sync.Changed, m => m.Id == first[2] && m.DeletedAt is not null && m.Text.Length == 0);

        Assert.Equal(steadyState.Describe(), roamingState.Describe());
        var history = await bob.GetAsync($"v1/conversations/{id}/messages?limit=200");
        var server = new ClientState();
        foreach (var message in history.GetProperty("items").Deserialize<ChatMessageView[]>(JsonSerializerOptions.Web)!)
        {
            server.Apply(message);
        }
        Assert.Equal(server.DescribeMessages(), roamingState.DescribeMessages());
        Assert.Equal(5, roamingState.Messages.Count);
        Assert.Equal("before 2 (edited)", roamingState.Messages[first[1]].Text);

        // A sync from the newest cursor is empty: nothing is sent twice.
        var empty = await back.Connection.InvokeAsync<SyncView>("Sync", id.ToString(), sync.NextSeq, sync.LastChangeSeq).WaitAsync(Timeout);
        Assert.Empty(empty.Messages);
        Assert.Empty(empty.Changed);
        Assert.Empty(empty.Receipts);
    }

    private static async Task<JsonElement> SendAsync(ChatUser user, Guid id, string text) =>
        await user.PostAsync($"v1/conversations/{id}/messages", new { text }, HttpStatusCode.Created);

    private static async Task Expect(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>What a client knows of one conversation: messages by id (newest change wins) and watermarks by user.</summary>
    private sealed class ClientState
    {
        private readonly Lock _gate = new();

        public Dictionary<Guid, ChatMessageView> Messages { get; } = [];

        private Dictionary<string, (long Read, long Delivered)> Receipts { get; } = new(StringComparer.Ordinal);

        private long _changeSeq;

        /// <summary>The newest seq and change number this client has seen; a lower change number is always safe.</summary>
        public (long Seq, long ChangeSeq) Cursor
        {
            get
            {
                lock (_gate)
                {
                    return (Messages.Count == 0 ? 0 : Messages.Values.Max(m => m.Seq), _changeSeq);
                }
            }
        }

        public void Apply(ChatMessageView message)
        {
            lock (_gate)
            {
                if (!Messages.TryGetValue(message.Id, out var known) || known.ChangeSeq <= message.ChangeSeq)
                {
                    Messages[message.Id] = message;
                }
                _changeSeq = Math.Max(_changeSeq, message.ChangeSeq);
            }
        }

        public void Apply(ReadReceiptView receipt)
        {
            lock (_gate)
            {
                var known = Receipts.GetValueOrDefault(receipt.UserId);
                Receipts[receipt.UserId] = (Math.Max(known.Read, receipt.ReadSeq), Math.Max(known.Delivered, receipt.DeliveredSeq));
            }
        }

        public void Apply(SyncView sync)
        {
            foreach (var message in sync.Messages.Concat(sync.Changed))
            {
                Apply(message);
            }
            foreach (var receipt in sync.Receipts)
            {
                Apply(receipt);
            }
            lock (_gate)
            {
                _changeSeq = Math.Max(_changeSeq, sync.LastChangeSeq);
            }
        }

        public string DescribeMessages()
        {
            lock (_gate)
            {
                return string.Join('\n', Messages.Values.OrderBy(m => m.Seq).Select(m => JsonSerializer.Serialize(Normalized(m), JsonSerializerOptions.Web)));
            }
        }

        public string Describe()
        {
            lock (_gate)
            {
                return DescribeMessages() + "\n" + string.Join('\n', Receipts.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}: read {r.Value.Read}, delivered {r.Value.Delivered}"));
            }
        }

        // Timestamps as UTC instants, reactions in a fixed order: JSON and MessagePack carry the same values differently.
        private static object Normalized(ChatMessageView m) => new
        {
            m.Id, m.ConversationId, m.Seq, m.ChangeSeq, m.SenderId, m.ClientMessageId, m.Text, m.Attachments, m.ReplyTo, m.Channels,
            Reactions = m.Reactions.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}:{string.Join(',', r.Value.Order(StringComparer.Ordinal))}").ToArray(),
            CreatedAt = m.CreatedAt.UtcDateTime, EditedAt = m.EditedAt?.UtcDateTime, DeletedAt = m.DeletedAt?.UtcDateTime,
        };
    }
}
