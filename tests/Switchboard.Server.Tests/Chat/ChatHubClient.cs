using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Server.Chat;
using Switchboard.Server.Presence;

namespace Switchboard.Server.Tests.Chat;

/// <summary>A real SignalR client of <c>/hubs/chat</c> over WebSockets that records every event it receives, in order.</summary>
internal sealed class ChatHubClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<(string Name, object Payload)> _events = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChatHubClient(HubConnection connection, string userId)
    {
        Connection = connection;
        UserId = userId;
        Record<ChatMessageView>(connection, "MessageReceived");
        Record<ChatMessageView>(connection, "MessageUpdated");
        Record<MembershipView>(connection, "UserJoined");
        Record<MembershipView>(connection, "UserLeft");
        Record<TypingView>(connection, "Typing");
        Record<PresenceView>(connection, "Presence");
        Record<RoomUpdatedView>(connection, "RoomUpdated");
        Record<ReadReceiptView>(connection, "ReadReceipt");
        Record<MessageStatusView>(connection, "MessageStatus");
    }

    public HubConnection Connection { get; }

    public string UserId { get; }

    public static async Task<ChatHubClient> ConnectAsync(Uri baseAddress, string token, string userId, bool messagePack)
    {
        // The token travels in the query string, as browsers must send it on WebSockets.
        var builder = new HubConnectionBuilder().WithUrl($"{baseAddress}hubs/chat?access_token={Uri.EscapeDataString(token)}", HttpTransportType.WebSockets);
        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }
        var client = new ChatHubClient(builder.Build(), userId);
        await client.Connection.StartAsync().WaitAsync(Timeout);
        return client;
    }

    /// <summary>Every event of <paramref name="name"/> received so far.</summary>
    public IReadOnlyList<T> Received<T>(string name)
    {
        lock (_gate)
        {
            return _events.Where(e => e.Name == name).Select(e => (T)e.Payload).ToArray();
        }
    }

    /// <summary>The first event of <paramref name="name"/> (received before or after this call) that matches.</summary>
    public async Task<T> WaitForAsync<T>(string name, Func<T, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? Timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                foreach (var (eventName, payload) in _events)
                {
                    if (eventName == name && (match is null || match((T)payload)))
                    {
                        return (T)payload;
                    }
                }
                changed = _changed.Task;
            }
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{UserId} received no matching '{name}' event; it received: {Describe()}");
            }
            await Task.WhenAny(changed, Task.Delay(left));
        }
    }

    private string Describe()
    {
        lock (_gate)
        {
            return string.Join(", ", _events.Select(e => e.Name));
        }
    }

    private void Record<T>(HubConnection connection, string name) => connection.On<T>(name, payload =>
    {
        lock (_gate)
        {
            _events.Add((name, payload!));
            var previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            previous.TrySetResult();
        }
    });

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
