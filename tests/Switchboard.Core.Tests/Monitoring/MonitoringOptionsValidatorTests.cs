using Switchboard.Monitoring;

namespace Switchboard.Core.Tests.Monitoring;

public sealed class MonitoringOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new MonitoringOptionsValidator().Validate(null, new MonitoringOptions()).Succeeded);
    }

    [Fact]
    public void Every_error_names_its_configuration_key_down_to_a_declared_monitors_field()
    {
        var options = new MonitoringOptions
        {
            MaxConcurrentProbes = 0,
            EvaluationInterval = TimeSpan.FromHours(1),
            Routes = { ["urgent"] = ["oncall"] },
            Monitors = { ["api"] = new MonitorSpec { Id = null!, Kind = MonitorKinds.Http, Url = "ftp://example.com", IntervalSeconds = 0 } },
            Rules = { ["slow"] = new AlertRule { Id = null!, Signal = "p42", Severity = "page" } },
        };

        var failures = new MonitoringOptionsValidator().Validate(null, options).Failures!.ToArray();

        Assert.Contains(failures, f => f.StartsWith("Monitoring:MaxConcurrentProbes: ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Monitoring:EvaluationInterval: ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Monitoring:Routes:urgent: ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Monitoring:Monitors:api:url: ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Monitoring:Monitors:api:intervalSeconds: ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Monitoring:Rules:slow:signal: ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Monitoring:Rules:slow:severity: ", StringComparison.Ordinal));
    }
}
