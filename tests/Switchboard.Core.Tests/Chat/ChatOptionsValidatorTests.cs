using Switchboard.Chat;

namespace Switchboard.Core.Tests.Chat;

public sealed class ChatOptionsValidatorTests
{
    private static readonly ChatOptionsValidator Validator = new();

    [Fact]
    public void The_defaults_are_valid_and_allow_groups_of_100_and_16_KiB_of_text()
    {
        var options = new ChatOptions();

        var result = Validator.Validate(null, options);

        Assert.True(result.Succeeded);
        Assert.Equal(100, options.MaxGroupMembers);
        Assert.Equal(16 * 1024, options.MaxTextBytes);
    }

    [Theory]
    [InlineData(2, "Chat:MaxGroupMembers")]
    [InlineData(10_001, "Chat:MaxGroupMembers")]
    public void Group_limits_outside_3_to_10000_name_their_key(int members, string key)
    {
        var result = Validator.Validate(null, new ChatOptions { MaxGroupMembers = members });

        Assert.True(result.Failed);
        Assert.StartsWith(key + ": ", Assert.Single(result.Failures!));
    }

    [Fact]
    public void Every_invalid_setting_is_reported_with_its_key()
    {
        var options = new ChatOptions
        {
            MaxGroupMembers = 0,
            MaxTextBytes = 0,
            MaxAttachments = -1,
            MaxNameLength = 0,
            MaxDescriptionLength = 0,
        };

        var result = Validator.Validate(null, options);

        Assert.Equal(
            ["Chat:MaxGroupMembers", "Chat:MaxTextBytes", "Chat:MaxAttachments", "Chat:MaxNameLength", "Chat:MaxDescriptionLength"],
            result.Failures!.Select(f => f[..f.IndexOf(':', 5)]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1024 * 1024)]
    public void Text_limits_from_one_byte_to_1_MiB_are_valid(int bytes) =>
        Assert.True(Validator.Validate(null, new ChatOptions { MaxTextBytes = bytes }).Succeeded);

    [Fact]
    public void Text_limits_above_1_MiB_are_refused() =>
        Assert.StartsWith("Chat:MaxTextBytes: ", Assert.Single(Validator.Validate(null, new ChatOptions { MaxTextBytes = 1024 * 1024 + 1 }).Failures!));
}
