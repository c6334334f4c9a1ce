using Microsoft.Extensions.Options;

namespace Switchboard.Broker;

internal sealed class BrokerOptionsValidator : IValidateOptions<BrokerOptions>
{
    public ValidateOptionsResult Validate(string? name, BrokerOptions options)
    {
        var errors = new List<string>();
        Check(errors, "MaxMessageBytes", options.MaxMessageBytes, 1, 64 * 1024 * 1024);
        Check(errors, "MaxBatchMessages", options.MaxBatchMessages, 1, 10_000);
        Check(errors, "MaxBatchBytes", options.MaxBatchBytes, 1, 256 * 1024 * 1024);
        Check(errors, "MaxReceive", options.MaxReceive, 1, 10_000);
        Check(errors, "MaxWaitSeconds", options.MaxWaitSeconds, 0, 300);
        Check(errors, "MaxLeaseSeconds", options.MaxLeaseSeconds, 1, 7 * 24 * 60 * 60);
        Check(errors, "SweepIntervalMilliseconds", options.SweepIntervalMilliseconds, 10, 10_000);
        Check(errors, "Hub:IdleSubscriptionSeconds", options.Hub.IdleSubscriptionSeconds, 1, 24 * 60 * 60);
        if (options.BodyCacheBytes < 0)
        {
            errors.Add($"{BrokerOptions.Section}:BodyCacheBytes: {options.BodyCacheBytes} must be 0 or more.");
        }
        if (options.MaxBatchBytes < options.MaxMessageBytes)
        {
            errors.Add($"{BrokerOptions.Section}:MaxBatchBytes: {options.MaxBatchBytes} is smaller than Broker:MaxMessageBytes ({options.MaxMessageBytes}).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{BrokerOptions.Section}:{key}: {value} is outside {min}–{max}.");
        }
    }
}
