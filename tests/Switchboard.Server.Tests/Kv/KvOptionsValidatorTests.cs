using Switchboard.Kv;

namespace Switchboard.Server.Tests.Kv;

public sealed class KvOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new KvOptionsValidator().Validate(null, new KvOptions()).Succeeded);
    }

    [Fact]
    public void Every_error_is_reported_with_its_configuration_key()
    {
        var result = new KvOptionsValidator().Validate(null, new KvOptions { MaxValueBytes = 64 * 1024 * 1024, SweepInterval = TimeSpan.FromHours(2) });

        Assert.True(result.Failed);
        Assert.Collection(result.Failures!,
            f => Assert.StartsWith("Kv:MaxValueBytes: ", f),
            f => Assert.StartsWith("Kv:SweepInterval: ", f));
    }
}
