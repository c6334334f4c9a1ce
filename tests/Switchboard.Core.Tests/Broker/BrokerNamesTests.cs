using Switchboard.Broker;
using Switchboard.Errors;

namespace Switchboard.Core.Tests.Broker;

public sealed class BrokerNamesTests
{
    [Theory]
    [InlineData("orders")]
    [InlineData("orders.eu-west_1")]
    [InlineData("A.B.C")]
    [InlineData("x")]
    public void Plain_names_are_valid(string name) => Assert.True(BrokerNames.IsValid(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("star*")]
    [InlineData("ünicode")]
    [InlineData("$sys.")]
    public void Other_names_are_invalid(string? name) => Assert.False(BrokerNames.IsValid(name, allowSystem: true));

    [Fact]
    public void Names_are_at_most_128_characters()
    {
        Assert.True(BrokerNames.IsValid(new string('a', 128)));
        Assert.False(BrokerNames.IsValid(new string('a', 129)));
    }

    [Fact]
    public void The_sys_prefix_is_reserved_for_the_server()
    {
        Assert.False(BrokerNames.IsValid("$sys.deliveries"));
        Assert.True(BrokerNames.IsValid("$sys.deliveries", allowSystem: true));
        var error = Assert.Throws<SwitchboardException>(() => BrokerNames.Validate("$sys.deliveries", "queue"));
        Assert.Equal(ErrorCodes.InvalidName, error.Error);
        Assert.Contains("reserved", error.Message);
    }
}
