using Switchboard.Errors;
using Switchboard.Server.Platform;

namespace Switchboard.Server.Tests.Platform;

public sealed class PagingTests
{
    [Theory]
    [InlineData(null, Paging.DefaultLimit)]
    [InlineData(1, 1)]
    [InlineData(Paging.MaxLimit, Paging.MaxLimit)]
    public void Limit_uses_the_default_or_the_requested_size(int? requested, int expected)
    {
        Assert.Equal(expected, Paging.Limit(requested));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(Paging.MaxLimit + 1)]
    public void Limit_outside_the_range_is_a_validation_error_on_limit(int requested)
    {
        var error = Assert.Throws<SwitchboardException>(() => Paging.Limit(requested));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Error);
        Assert.True(error.Errors!.ContainsKey("limit"));
    }
}
