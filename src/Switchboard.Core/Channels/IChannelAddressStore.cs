namespace Switchboard.Channels;

/// <summary>
/// Users' addresses outside chat, one per channel key: a channel instance name (<c>support-wa</c>) or a channel type
/// (<c>whatsapp</c>, <c>email</c>), matched in that order by <see cref="DeliveryProcessor.AddressFor"/>.
/// </summary>
public interface IChannelAddressStore
{
    /// <summary>Sets (or replaces) the user's address for the channel key.</summary>
    Task SetAsync(string userId, string channel, string address, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Removes it; false when there was none.</summary>
    Task<bool> DeleteAsync(string userId, string channel, CancellationToken cancellationToken = default);

    /// <summary>Every address of each of the users that has any, by user id then channel key.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> ListAsync(IReadOnlyCollection<string> userIds,
        CancellationToken cancellationToken = default);
}
