using Switchboard.Presence;
using Switchboard.Server.Chat;

namespace Switchboard.Server.Tests.Chat;

public sealed class ChatOptionsValidationTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new ChatRedisOptionsValidator().Validate(null, new ChatRedisOptions()).Succeeded);
        Assert.True(new PresenceOptionsValidator().Validate(null, new PresenceOptions()).Succeeded);
    }

    [Fact]
    public void Every_error_names_its_configuration_key()
    {
        var redis = new ChatRedisOptionsValidator().Validate(null, new ChatRedisOptions { Configuration = "127.0.0.1:6379,unknownoption=1", Prefix = "bad prefix!" });
        Assert.True(redis.Failed);
        Assert.Contains(redis.Failures!, f => f.StartsWith("Chat:Redis:Configuration: ", StringComparison.Ordinal));
        Assert.Contains(redis.Failures!, f => f.StartsWith("Chat:Redis:Prefix: ", StringComparison.Ordinal));

        var presence = new PresenceOptionsValidator().Validate(null, new PresenceOptions
        {
            AwayAfter = TimeSpan.FromSeconds(-1),
            Heartbeat = TimeSpan.FromMilliseconds(10),
            NodeTimeout = TimeSpan.Zero,
        });
        Assert.True(presence.Failed);
        Assert.Contains(presence.Failures!, f => f.StartsWith("Chat:Presence:AwayAfter: ", StringComparison.Ordinal));
        Assert.Contains(presence.Failures!, f => f.StartsWith("Chat:Presence:Heartbeat: ", StringComparison.Ordinal));
        Assert.Contains(presence.Failures!, f => f.StartsWith("Chat:Presence:NodeTimeout: ", StringComparison.Ordinal));
    }
}
