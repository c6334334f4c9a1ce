using Switchboard.Client;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Channels;

/// <summary>The SDK calls behind <c>switchboard channels list|test</c>.</summary>
public sealed class ChannelClientTests
{
    [Fact]
    public async Task The_client_lists_channels_without_secrets_and_reports_test_sends()
    {
        await using var h = await ChannelHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Channels:Routes:ops:0"] = "slack",
            ["Channels:Routes:ops:1"] = "hook",
        });
        using var client = new SwitchboardClient(h.Server.BaseAddress, SwitchboardCredentials.FromPassword("admin", RunningServer.AdminPassword));

        var channels = await client.ListChannelsAsync().WaitAsync(ChannelHarness.Timeout);
        var sent = await client.TestChannelAsync("wa", "15550009", "hello").WaitAsync(ChannelHarness.Timeout);
        h.Fake.Behaviour = _ => new FakeReply(403, """{"error":{"message":"forbidden","code":10}}""");
        var refused = await client.TestChannelAsync("wa", "15550009").WaitAsync(ChannelHarness.Timeout);
        var missing = await Assert.ThrowsAsync<SwitchboardApiException>(() => client.TestChannelAsync("nope").WaitAsync(ChannelHarness.Timeout));

        Assert.Equal(["discord", "hook", "ig", "slack", "tg", "wa"], channels.Select(c => c.Name));
        Assert.Equal(["ops"], channels.Single(c => c.Name == "hook").Routes);
        Assert.All(channels.SelectMany(c => c.Credentials.Values), v => Assert.Equal("********", v));
        Assert.True(sent.Ok);
        Assert.StartsWith("wamid.", sent.ProviderId);
        Assert.Equal("hello", h.Fake.CallsTo("whatsapp").First().Json!["text"]!["body"]!.GetValue<string>().Split('\n')[^1]);
        Assert.False(refused.Ok);
        Assert.Equal("meta_10", refused.ErrorCode);
        Assert.Equal("rejected", Assert.Single(refused.Attempts).Outcome);
        Assert.Equal("channel_not_found", missing.Code);
    }
}
