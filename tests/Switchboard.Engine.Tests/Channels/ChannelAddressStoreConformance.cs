using Switchboard.Channels;

namespace Switchboard.Engine.Tests.Channels;

public abstract class ChannelAddressStoreConformance : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private IChannelAddressStore? _store;

    protected IChannelAddressStore Store => _store!;

    protected abstract Task<IChannelAddressStore> OpenStoreAsync();

    public async Task InitializeAsync() => _store = await OpenStoreAsync().WaitAsync(Timeout);

    public abstract Task DisposeAsync();

    [Fact]
    public async Task Addresses_are_set_replaced_listed_per_user_and_deleted()
    {
        await Store.SetAsync("alice", "whatsapp", "15550001", T0).WaitAsync(Timeout);
        await Store.SetAsync("alice", "support-mail", "alice@example.com", T0).WaitAsync(Timeout);
        await Store.SetAsync("alice", "whatsapp", "15550002", T0.AddMinutes(1)).WaitAsync(Timeout);
        await Store.SetAsync("bob", "telegram", "424242", T0).WaitAsync(Timeout);

        var listed = await Store.ListAsync(["alice", "bob", "carol", "alice"]).WaitAsync(Timeout);
        var deleted = await Store.DeleteAsync("alice", "support-mail").WaitAsync(Timeout);
        var deletedAgain = await Store.DeleteAsync("alice", "support-mail").WaitAsync(Timeout);
        var after = await Store.ListAsync(["alice"]).WaitAsync(Timeout);

        Assert.Equal(["alice", "bob"], listed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("15550002", listed["alice"]["whatsapp"]);
        Assert.Equal("alice@example.com", listed["alice"]["support-mail"]);
        Assert.Equal("424242", listed["bob"]["telegram"]);
        Assert.True(deleted);
        Assert.False(deletedAgain);
        Assert.Equal(["whatsapp"], after["alice"].Keys);
    }

    [Fact]
    public async Task Many_users_are_looked_up_at_once()
    {
        var users = Enumerable.Range(0, 1200).Select(i => $"user-{i:D4}").ToArray();
        foreach (var user in users.Where((_, i) => i % 3 == 0))
        {
            await Store.SetAsync(user, "whatsapp", "+" + user, T0).WaitAsync(Timeout);
        }

        var listed = await Store.ListAsync(users).WaitAsync(Timeout);

        Assert.Equal(400, listed.Count);
        Assert.All(listed, pair => Assert.Equal("+" + pair.Key, pair.Value["whatsapp"]));
    }
}
