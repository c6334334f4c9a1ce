using Switchboard.Broker;

namespace Switchboard.Core.Tests.Broker;

public sealed class BrokerOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid() =>
        Assert.True(new BrokerOptionsValidator().Validate(null, new BrokerOptions()).Succeeded);

    [Fact]
    public void Every_error_names_its_configuration_key()
    {
        var options = new BrokerOptions { MaxMessageBytes = 0, MaxReceive = 0, MaxWaitSeconds = -1, BodyCacheBytes = -1, Hub = new() { IdleSubscriptionSeconds = 0 } };

        var result = new BrokerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Broker:MaxMessageBytes:", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Broker:MaxReceive:", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Broker:MaxWaitSeconds:", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Broker:BodyCacheBytes:", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Broker:Hub:IdleSubscriptionSeconds:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_batch_limit_below_the_message_limit_is_refused()
    {
        var result = new BrokerOptionsValidator().Validate(null, new BrokerOptions { MaxMessageBytes = 2048, MaxBatchBytes = 1024 });

        Assert.Contains(result.Failures!, f => f.StartsWith("Broker:MaxBatchBytes:", StringComparison.Ordinal));
    }
}
