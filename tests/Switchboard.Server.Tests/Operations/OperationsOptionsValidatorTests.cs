using Switchboard.Server.Operations;

namespace Switchboard.Server.Tests.Operations;

public sealed class OperationsOptionsValidatorTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(new OperationsOptionsValidator().Validate(null, new OperationsOptions()).Succeeded);
    }

    [Fact]
    public void Every_error_names_its_key()
    {
        var options = new OperationsOptions { Logs = new OperationsLogOptions { FileSizeLimitBytes = 10, RetainedFiles = 0 } };

        var result = new OperationsOptionsValidator().Validate(null, options);

        var failures = result.Failures!.ToArray();
        Assert.Contains(failures, f => f.StartsWith("Operations:Logs:FileSizeLimitBytes:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Operations:Logs:RetainedFiles:", StringComparison.Ordinal));
    }
}
