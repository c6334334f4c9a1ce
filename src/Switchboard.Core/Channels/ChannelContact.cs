namespace Switchboard.Channels;

/// <summary>An outside person as one channel instance knows them: a phone number, an Instagram-scoped id, a chat id.</summary>
/// <param name="Channel">The channel instance name (<c>Channels:Instances:&lt;name&gt;</c>) they wrote through.</param>
/// <param name="Address">Their address on that instance, where replies are sent.</param>
public sealed record ChannelContact(string Channel, string Address)
{
    /// <summary>The sender id of the contact's messages; no user id has this shape (user ids are UUIDs).</summary>
    public string SenderId => $"contact:{Channel}:{Address}";
}
