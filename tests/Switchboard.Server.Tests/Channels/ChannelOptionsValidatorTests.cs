using Switchboard.Channels;

namespace Switchboard.Server.Tests.Channels;

public sealed class ChannelOptionsValidatorTests
{
    private static IReadOnlyList<string> Validate(ChannelOptions options) =>
        new ChannelOptionsValidator().Validate(null, options).Failures?.ToArray() ?? [];

    [Fact]
    public void A_complete_configuration_passes()
    {
        var options = new ChannelOptions
        {
            Instances =
            {
                ["wa"] = new() { Type = "whatsapp", Token = "t", PhoneNumberId = "1" },
                ["mail"] = new() { Type = "email", Smtp = new() { Host = "smtp.example.com", From = "a@example.com" } },
                ["pinned"] = new()
                {
                    Type = "email",
                    Smtp = new() { Host = "smtp.example.com", From = "a@example.com", Security = "tls", CertificateThumbprint = "AB:" + new string('0', 62) },
                },
                ["hook"] = new() { Type = "webhook", WebhookUrl = "https://example.com/hook" },
            },
            Routes = { ["urgent"] = ["wa", "mail"] },
            AllowedHosts = ["127.0.0.1", "10.0.0.0/8", "internal.example.com"],
        };

        Assert.Empty(Validate(options));
    }

    [Fact]
    public void Every_error_names_its_configuration_key()
    {
        var options = new ChannelOptions
        {
            Instances =
            {
                ["wa"] = new() { Type = "whatsapp" },
                ["x"] = new() { Type = "pager" },
                ["hook"] = new() { Type = "webhook", WebhookUrl = "ftp://example.com", Timeout = TimeSpan.Zero, RatePerSecond = -1 },
                ["mail"] = new() { Type = "email", Smtp = new() { Host = "h", From = "not an address", Security = "maybe", Port = 0 } },
                ["pin"] = new() { Type = "email", Smtp = new() { Host = "h", From = "a@example.com", CertificateThumbprint = "sha1:ABCDEF" } },
            },
            Routes = { ["wa"] = ["wa"], ["empty"] = [], ["bad"] = ["nope"] },
            AllowedHosts = ["not a host/"],
            Delivery = new() { Concurrency = 0, MaxAttempts = 0, BreakerFailureRatio = 2, BreakerBreakDuration = TimeSpan.Zero },
        };

        var errors = Validate(options);

        string[] keys =
        [
            "Channels:Instances:wa:Token:", "Channels:Instances:wa:PhoneNumberId:", "Channels:Instances:x:Type:", "Channels:Instances:hook:WebhookUrl:",
            "Channels:Instances:hook:Timeout:", "Channels:Instances:hook:RatePerSecond:", "Channels:Instances:mail:Smtp:From:",
            "Channels:Instances:mail:Smtp:Security:", "Channels:Instances:mail:Smtp:Port:", "Channels:Instances:pin:Smtp:CertificateThumbprint:", "Channels:Routes:wa:", "Channels:Routes:empty:",
            "Channels:Routes:bad:", "Channels:AllowedHosts:0:", "Channels:Delivery:Concurrency:", "Channels:Delivery:MaxAttempts:",
            "Channels:Delivery:BreakerFailureRatio:", "Channels:Delivery:BreakerBreakDuration:",
        ];
        foreach (var key in keys)
        {
            Assert.Contains(errors, e => e.StartsWith(key, StringComparison.Ordinal));
        }
        Assert.All(errors, e => Assert.StartsWith("Channels:", e));
    }

    [Fact]
    public void A_channel_aimed_at_an_address_the_outbound_guard_refuses_fails_the_check()
    {
        var options = new ChannelOptions
        {
            Instances =
            {
                ["hook"] = new() { Type = "webhook", WebhookUrl = "http://127.0.0.1:9/hook" },
                ["tg"] = new() { Type = "telegram", BotToken = "t", BaseUrl = "http://[::1]:9" },
                ["mail"] = new() { Type = "email", Smtp = new() { Host = "localhost", From = "a@example.com" } },
                ["lan"] = new() { Type = "slack", WebhookUrl = "https://192.168.1.10/hook" },
                ["public"] = new() { Type = "webhook", WebhookUrl = "https://203.0.113.7/hook" },
            },
        };

        var errors = Validate(options);

        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Channels:Instances:hook:WebhookUrl: '127.0.0.1' is 127.0.0.1, a loopback or private address", StringComparison.Ordinal)
            && e.Contains("Channels:AllowedHosts", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Channels:Instances:tg:BaseUrl: '[::1]' is ::1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Channels:Instances:mail:Smtp:Host: 'localhost' is 127.0.0.1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Channels:Instances:lan:WebhookUrl: '192.168.1.10' is 192.168.1.10", StringComparison.Ordinal));
    }

    [Fact]
    public void An_allowed_host_lets_a_channel_aim_at_a_private_address()
    {
        var options = new ChannelOptions
        {
            Instances =
            {
                ["hook"] = new() { Type = "webhook", WebhookUrl = "http://127.0.0.1:9/hook" },
                ["lan"] = new() { Type = "slack", WebhookUrl = "https://192.168.1.10/hook" },
                ["mail"] = new() { Type = "email", Smtp = new() { Host = "localhost", From = "a@example.com" } },
            },
            AllowedHosts = ["127.0.0.1", "192.168.0.0/16", "localhost"],
        };

        Assert.Empty(Validate(options));
    }
}
