using System.Text.Json;
using Switchboard.Broker;

namespace Switchboard.Events;

/// <summary>
/// The server's own events, published to the topic <c>$sys.events</c> with the event name as subject,
/// so applications subscribe with patterns such as <c>room.*</c> or <c>user.&gt;</c>.
/// </summary>
public static class SystemEvents
{
    public const string Topic = "$sys.events";

    public const string UserRegistered = "user.registered";
    public const string UserLogin = "user.login";
    public const string RoomCreated = "room.created";
    public const string RoomUpdated = "room.updated";
    public const string RoomDeleted = "room.deleted";
    public const string MessageSent = "message.sent";
    public const string MessageReceived = "message.received";
    public const string UserJoinedRoom = "user.joined.room";
    public const string UserLeftRoom = "user.left.room";
    public const string IncidentOpened = "incident.opened";
    public const string IncidentAcknowledged = "incident.acknowledged";
    public const string IncidentEscalated = "incident.escalated";
    public const string IncidentResolved = "incident.resolved";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The outbox entry for one event: a JSON body <c>{ "event", "at", "data" }</c>, the event name also in the
    /// <c>event</c> header so subscriptions can filter on it.
    /// </summary>
    public static OutboxEntry Create<T>(string name, T data, DateTimeOffset at)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new SystemEvent<T>(name, at, data), Json);
        var message = new OutgoingMessage(body)
        {
            Encoding = BodyEncoding.Utf8,
            Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["event"] = name },
        };
        return OutboxEntry.ToTopic(Topic, name, message);
    }

    private sealed record SystemEvent<T>(string Event, DateTimeOffset At, T Data);
}
