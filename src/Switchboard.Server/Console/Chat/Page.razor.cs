using Microsoft.AspNetCore.Components;
using Switchboard.Chat;
using Switchboard.Identity;
using Switchboard.Presence;
using Switchboard.Server.WebConsole.Account;
using Switchboard.Server.WebConsole.Live;
using Switchboard.Server.WebConsole.Shared;

namespace Switchboard.Server.WebConsole.Chat;

/// <summary>
/// A web chat client over <see cref="ChatService"/> (the calls behind <c>/v1/conversations</c> and the chat hub): the
/// caller's conversations and the rooms, history, send, and members with their presence. While open it counts as one of
/// the user's connections for presence, and it catches up with new messages on every tick of the console feed.
/// </summary>
public sealed partial class Page : IDisposable
{
    private const int HistoryLimit = 100;
    private static readonly string[] AnyCode = ["validation_failed", "message_too_large", "conversation_not_found", "not_a_member"];
    private readonly string _connectionId = "console:" + Guid.NewGuid().ToString("n");
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private IReadOnlyList<ConversationSummary> _mine = [];
    private IReadOnlyList<Conversation> _rooms = [];
    private Conversation? _conversation;
    private List<ChatMessage> _messages = [];
    private IReadOnlyList<(string Name, PresenceStatus Status)> _members = [];
    private Problem? _problem;
    private Problem? _roomProblem;
    private Problem? _sendProblem;
    private string? _roomName;
    private string? _text;
    private string? _userId;
    private IDisposable? _watch;

    [Parameter]
    public Guid? Id { get; set; }

    [Inject]
    public required ChatService Chat { get; init; }

    [Inject]
    public required PresenceTracker Presence { get; init; }

    [Inject]
    public required UserStatusCache Users { get; init; }

    [Inject]
    public required ConsoleCaller Caller { get; init; }

    [Inject]
    public required ConsoleFeed Feed { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    protected override async Task OnInitializedAsync()
    {
        if (RendererInfo.IsInteractive)
        {
            var caller = await Caller.GetAsync();
            _userId = caller.Id;
            await Presence.ConnectedAsync(caller.Id, _connectionId);
            _watch = Feed.Watch(() => InvokeAsync(async () =>
            {
                await Presence.TouchAsync(_connectionId);
                await RefreshAsync();
                StateHasChanged();
            }));
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        _conversation = null;
        _messages = [];
        _members = [];
        _problem = await Problem.TryAsync(async () =>
        {
            var caller = await Caller.GetAsync();
            _mine = (await Chat.ListMineAsync(caller, 100, null)).Items;
            _rooms = (await Chat.ListRoomsAsync(caller, 100, null)).Items;
            if (Id is { } id)
            {
                _conversation = await Chat.GetAsync(caller, id);
                _messages = (await Chat.ListMessagesAsync(caller, id, null, null, HistoryLimit)).OrderBy(m => m.Seq).ToList();
                await LoadMembersAsync(caller, id);
            }
        });
        await ResolveNamesAsync();
    }

    private async Task RefreshAsync()
    {
        _problem = await Problem.TryAsync(async () =>
        {
            var caller = await Caller.GetAsync();
            _mine = (await Chat.ListMineAsync(caller, 100, null)).Items;
            if (_conversation is { } conversation)
            {
                var after = _messages.Count > 0 ? _messages[^1].Seq : 0;
                _messages.AddRange((await Chat.ListMessagesAsync(caller, conversation.Id, null, after, HistoryLimit)).OrderBy(m => m.Seq));
                await LoadMembersAsync(caller, conversation.Id);
            }
        });
        await ResolveNamesAsync();
    }

    private async Task LoadMembersAsync(Caller caller, Guid id)
    {
        var members = await Chat.ListMembersAsync(caller, id);
        var list = new List<(string, PresenceStatus)>();
        foreach (var member in members)
        {
            list.Add((await NameAsync(member.UserId), (await Presence.GetAsync(member.UserId)).Status));
        }
        _members = list;
    }

    private async Task ResolveNamesAsync()
    {
        foreach (var sender in _messages.Select(m => m.SenderId).Distinct().Where(s => !_names.ContainsKey(s)).ToArray())
        {
            await NameAsync(sender);
        }
    }

    private async Task<string> NameAsync(string userId)
    {
        if (!_names.TryGetValue(userId, out var name))
        {
            name = Guid.TryParse(userId, out var id) && await Users.GetAsync(id) is { } status ? status.Username : userId;
            _names[userId] = name;
        }
        return name;
    }

    private string Name(string userId) => _names.GetValueOrDefault(userId, userId);

    private static string Title(Conversation conversation) => conversation.Name ?? conversation.Kind.ToString().ToLowerInvariant() + " " + conversation.Id.ToString()[..8];

    private async Task JoinAsync(Guid id)
    {
        _problem = await Problem.TryAsync(async () => await Chat.JoinRoomAsync(await Caller.GetAsync(), id));
        if (_problem is null)
        {
            Navigation.NavigateTo($"console/chat/{id}");
        }
    }

    private async Task CreateRoomAsync()
    {
        ConversationCreated? created = null;
        _roomProblem = await Problem.TryAsync(async () =>
            created = await Chat.CreateConversationAsync(await Caller.GetAsync(), new CreateConversation(ConversationKind.Room, Name: _roomName)));
        if (created is not null)
        {
            _roomName = null;
            Navigation.NavigateTo($"console/chat/{created.Conversation.Id}");
        }
    }

    private async Task SendAsync()
    {
        if (_conversation is not { } conversation)
        {
            return;
        }
        _sendProblem = await Problem.TryAsync(async () =>
        {
            await Chat.SendAsync(await Caller.GetAsync(), conversation.Id, new SendMessage(Guid.NewGuid().ToString("n"), _text));
            // Only a sent message clears the box; a refused one stays for the user to fix.
            _text = null;
        });
        await RefreshAsync();
    }

    public void Dispose()
    {
        _watch?.Dispose();
        if (_userId is not null)
        {
            // Fire and forget: the circuit is going away; presence expires on its own if this fails.
            _ = Presence.DisconnectedAsync(_connectionId);
        }
    }
}
