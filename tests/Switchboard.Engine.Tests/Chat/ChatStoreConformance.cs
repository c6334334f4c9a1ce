using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Broker;
using Switchboard.Channels;
using Switchboard.Chat;
using Switchboard.Errors;
using Switchboard.Events;
using Switchboard.Identity;

namespace Switchboard.Engine.Tests.Chat;

/// <summary>
/// What every engine's <see cref="IChatStore"/> must do, driven through <see cref="ChatService"/> as the server uses
/// it, with the same engine's broker for the outbox. Subclassed once per engine; each test gets a fresh database.
/// </summary>
public abstract partial class ChatStoreConformance : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly RecordingChatEvents _events = new();
    private readonly FakeFileCatalog _files = new();
    private ChatEngine? _engine;
    private ChatService? _chat;
    private BrokerService? _broker;

    /// <summary>The stores of one engine over one fresh database.</summary>
    protected sealed record ChatEngine(IChatStore Chat, IBrokerStore Broker, IIdentityStore Identity);

    protected IChatStore Store => _engine!.Chat;

    protected ChatService Chat => _chat!;

    protected BrokerService Broker => _broker!;

    /// <summary>Opens a fresh, migrated database and returns the engine's stores over it.</summary>
    protected abstract Task<ChatEngine> OpenAsync();

    protected abstract Task CloseAsync();

    public async Task InitializeAsync()
    {
        _engine = await OpenAsync().WaitAsync(Timeout);
        _broker = new BrokerService(_engine.Broker, new StaticOptions<BrokerOptions>(new BrokerOptions()), new BrokerMetrics());
        _chat = NewService(new ChatOptions(), _events, _files);
    }

    public async Task DisposeAsync() => await CloseAsync();

    /// <summary>Channels whatsapp and instagram enabled, telegram configured but disabled.</summary>
    protected static IDeliveryChannels Channels { get; } = new ConfiguredDeliveryChannels(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Channels:Instances:whatsapp:Type"] = "whatsapp",
        ["Channels:Instances:instagram:Type"] = "instagram",
        ["Channels:Instances:telegram:Type"] = "telegram",
        ["Channels:Instances:telegram:Enabled"] = "false",
    }).Build());

    private protected ChatService NewService(ChatOptions options, IChatEvents? events, Switchboard.Files.IFileCatalog? files) =>
        new(_engine!.Chat, _broker!, _engine.Identity, Channels, new StaticOptions<ChatOptions>(options), TimeProvider.System,
            NullLogger<ChatService>.Instance, events, files);

    private protected RecordingChatEvents LiveEvents => _events;

    private protected FakeFileCatalog Files => _files;

    /// <summary>A local user with the default user scopes (chat:use among them).</summary>
    protected async Task<Caller> NewUserAsync(string name)
    {
        var now = DateTimeOffset.UtcNow;
        var account = new UserAccount(Guid.CreateVersion7(), name + "-" + Guid.NewGuid().ToString("n")[..6], null, "not-a-hash", Roles.User, false, 0, null, now, now);
        Assert.True(await _engine!.Identity.CreateUserAsync(account).WaitAsync(Timeout));
        return new Caller(account.Id.ToString(), account.Username, Roles.User, CallerKind.User, ScopeSet.Parse(IdentityOptions.DefaultUserScopes), null);
    }

    protected async Task<Caller[]> NewUsersAsync(int count, string name = "user")
    {
        var users = new Caller[count];
        for (var i = 0; i < count; i++)
        {
            users[i] = await NewUserAsync(name + i);
        }
        return users;
    }

    protected static Caller AdminCaller { get; } = new(Guid.CreateVersion7().ToString(), "admin", Roles.Admin, CallerKind.User, ScopeSet.Everything, null);

    protected async Task<Conversation> PrivateAsync(Caller a, Caller b) =>
        (await Chat.CreateConversationAsync(a, new CreateConversation(ConversationKind.Private, [b.Id])).WaitAsync(Timeout)).Conversation;

    protected async Task<Conversation> GroupAsync(Caller owner, params Caller[] others) =>
        (await Chat.CreateConversationAsync(owner, new CreateConversation(ConversationKind.Group, others.Select(o => o.Id).ToArray(), "team")).WaitAsync(Timeout)).Conversation;

    protected async Task<Conversation> RoomAsync(Caller owner, string name = "lobby") =>
        (await Chat.CreateConversationAsync(owner, new CreateConversation(ConversationKind.Room, null, name, "topic")).WaitAsync(Timeout)).Conversation;

    protected async Task<ChatMessage> SendAsync(Caller sender, Guid conversation, string text, string? clientId = null, IReadOnlyList<string>? channels = null) =>
        (await Chat.SendAsync(sender, conversation, new SendMessage(clientId, text, null, null, channels)).WaitAsync(Timeout)).Message;

    protected static async Task<SwitchboardException> FailsAsync(ErrorCode code, Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<SwitchboardException>(() => call().WaitAsync(Timeout));
        Assert.True(code == ex.Error, $"Expected {code.Code}, got {ex.Error.Code}: {ex.Message}");
        return ex;
    }

    /// <summary>A queue bound to <c>$sys.events</c> for every subject, to read back what chat published.</summary>
    protected async Task<string> SubscribeToSystemEventsAsync()
    {
        await Broker.EnsureTopicAsync(BrokerService.System, SystemEvents.Topic).WaitAsync(Timeout);
        var queue = "chat-events-" + Guid.NewGuid().ToString("n")[..8];
        await Broker.CreateQueueAsync(BrokerService.System, queue, null).WaitAsync(Timeout);
        await Broker.SubscribeAsync(BrokerService.System, SystemEvents.Topic, queue, ">", null).WaitAsync(Timeout);
        return queue;
    }

    /// <summary>Everything waiting in the queue, acknowledged, as (event name, JSON body).</summary>
    protected async Task<List<(string Event, JsonElement Body)>> DrainAsync(string queue)
    {
        var result = new List<(string, JsonElement)>();
        while (true)
        {
            var messages = await Broker.ReceiveAsync(BrokerService.System, queue, 100, 0, null).WaitAsync(Timeout);
            if (messages.Count == 0)
            {
                return result;
            }
            foreach (var message in messages)
            {
                var body = JsonSerializer.Deserialize<JsonElement>(message.Body.Span, Json);
                result.Add((message.Headers.TryGetValue("event", out var name) ? name : "", body));
            }
            await Broker.AckAsync(BrokerService.System, queue, LeaseToken.ParseAll(messages.Select(m => m.Lease).ToArray())).WaitAsync(Timeout);
        }
    }

    protected async Task<List<DeliveryJob>> DrainJobsAsync(string channel)
    {
        var queue = DeliveryJob.QueueFor(channel);
        if (await Broker.Store.GetQueueAsync(queue).WaitAsync(Timeout) is null)
        {
            return [];
        }
        var jobs = new List<DeliveryJob>();
        foreach (var message in await Broker.PeekAsync(BrokerService.System, queue, 1000).WaitAsync(Timeout))
        {
            jobs.Add(JsonSerializer.Deserialize<DeliveryJob>(message.Body.Span, Json)!);
        }
        return jobs;
    }

    private sealed class StaticOptions<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
