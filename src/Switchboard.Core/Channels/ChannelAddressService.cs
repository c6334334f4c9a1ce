using Switchboard.Errors;
using Switchboard.Identity;

namespace Switchboard.Channels;

/// <summary>
/// Where users can be reached outside chat. A user manages their own addresses; a server admin anyone's. The channel
/// key is a configured instance name or a channel type, so an address can be meant for one instance or for every
/// instance of its type.
/// </summary>
public sealed class ChannelAddressService(IChannelAddressStore store, IIdentityStore identity, ChannelRegistry registry, TimeProvider time)
{
    public const int MaxAddressLength = 320;

    public async Task<IReadOnlyDictionary<string, string>> ListAsync(Caller caller, string userId, CancellationToken cancellationToken = default)
    {
        var id = await RequireUserAsync(caller, userId, cancellationToken).ConfigureAwait(false);
        var all = await store.ListAsync([id], cancellationToken).ConfigureAwait(false);
        return all.TryGetValue(id, out var addresses) ? addresses : new Dictionary<string, string>();
    }

    public async Task SetAsync(Caller caller, string userId, string channel, string? address, CancellationToken cancellationToken = default)
    {
        var id = await RequireUserAsync(caller, userId, cancellationToken).ConfigureAwait(false);
        var type = TypeOf(channel);
        address = address?.Trim();
        new Validation()
            .Require(!string.IsNullOrEmpty(address) && address.Length <= MaxAddressLength && !address.Any(char.IsControl), "address",
                $"address must be 1–{MaxAddressLength} characters without control characters: a phone number, a chat id, an e-mail address.")
            .Require(type != ChannelTypes.Email || address?.Contains('@', StringComparison.Ordinal) == true, "address", "An e-mail address needs an '@'.")
            .ThrowIfInvalid();
        await store.SetAsync(id, channel, address!, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(Caller caller, string userId, string channel, CancellationToken cancellationToken = default)
    {
        var id = await RequireUserAsync(caller, userId, cancellationToken).ConfigureAwait(false);
        if (!await store.DeleteAsync(id, channel, cancellationToken).ConfigureAwait(false))
        {
            throw new SwitchboardException(ErrorCodes.ChannelNotFound, $"The user has no address for '{channel}'.");
        }
    }

    /// <summary>The user's id when the caller may manage their addresses: themselves (with <c>chat:use</c>), or a server admin.</summary>
    private async Task<string> RequireUserAsync(Caller caller, string userId, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            caller.Demand("chat", "use");
        }
        if (!Guid.TryParse(userId, out var id) || !(caller.IsAdmin || string.Equals(caller.Id, id.ToString(), StringComparison.Ordinal)))
        {
            // Someone else's addresses are as invisible as a user that does not exist.
            throw new SwitchboardException(ErrorCodes.UserNotFound, $"No user '{userId}' whose addresses you may manage; use 'me' for your own.");
        }
        if (await identity.GetUserAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new SwitchboardException(ErrorCodes.UserNotFound, $"No user '{userId}'.");
        }
        return id.ToString();
    }

    /// <summary>The channel type a key stands for: itself when it is a type, else the configured instance's type.</summary>
    private string? TypeOf(string channel)
    {
        if (ChannelTypes.All.Contains(channel, StringComparer.Ordinal))
        {
            return channel;
        }
        if (registry.TryGet(channel, out var instance))
        {
            return instance.Type;
        }
        var ex = new SwitchboardException(ErrorCodes.InvalidChannel,
            $"'{channel}' is neither a channel type ({string.Join(", ", ChannelTypes.All)}) nor a configured channel instance.");
        ex.Extensions["channel"] = channel;
        throw ex;
    }
}
