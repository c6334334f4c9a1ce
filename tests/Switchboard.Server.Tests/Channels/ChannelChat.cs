using Switchboard.Server.Tests.Chat;

namespace Switchboard.Server.Tests.Channels;

/// <summary>A chat server whose channel instances point at a fresh <see cref="FakeProviders"/>, with loopback allowed.</summary>
internal static class ChannelChat
{
    public static async Task<(FakeProviders Fake, ChatFixture Chat)> StartAsync(IDictionary<string, string?>? extra = null)
    {
        var fake = await FakeProviders.StartAsync();
        var settings = fake.Settings();
        settings["Channels:AllowedHosts:0"] = "127.0.0.1";
        settings["Channels:Delivery:RetryBaseDelay"] = "00:00:00.010";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return (fake, await ChatFixture.StartAsync(settings));
    }
}
