using Microsoft.Extensions.Options;
using Switchboard.Errors;

namespace Switchboard.Monitoring;

/// <summary>Checks <c>Monitoring</c> at start-up; every message starts with the configuration key it is about.</summary>
public sealed class MonitoringOptionsValidator : IValidateOptions<MonitoringOptions>
{
    private const string Prefix = MonitoringOptions.Section + ":";

    public ValidateOptionsResult Validate(string? name, MonitoringOptions options)
    {
        var errors = new List<string>();
        void Check(bool ok, string key, string message)
        {
            if (!ok)
            {
                errors.Add($"{Prefix}{key}: {message}");
            }
        }
        Check(options.MaxConcurrentProbes is >= 1 and <= 10_000, "MaxConcurrentProbes", $"{options.MaxConcurrentProbes} is outside 1–10000.");
        Check(options.EvaluationInterval >= TimeSpan.FromMilliseconds(100) && options.EvaluationInterval <= TimeSpan.FromMinutes(10), "EvaluationInterval",
            $"{options.EvaluationInterval} is outside 00:00:00.1–00:10:00.");
        Check(options.ResultRetention >= TimeSpan.FromMinutes(10), "ResultRetention", "keep raw results at least 00:10:00.");
        Check(options.MinuteRollupRetention >= TimeSpan.FromHours(1), "MinuteRollupRetention", "keep minute roll-ups at least 01:00:00.");
        Check(options.HourRollupRetention >= TimeSpan.FromDays(1), "HourRollupRetention", "keep hour roll-ups at least 1.00:00:00.");
        Check(options.AlertRepeatIntervalSeconds is >= 1 and <= 7 * 86_400, "AlertRepeatIntervalSeconds", "must be 1–604800.");
        foreach (var (severity, routes) in options.Routes)
        {
            Check(AlertSignals.Severities.Contains(severity), $"Routes:{severity}", "the key must be a severity: info, warning or critical.");
            Check(routes.Count is >= 1 and <= 10, $"Routes:{severity}", "list 1–10 channel instances or routes, first to last escalation level.");
        }
        var defaults = options.DefaultRules;
        Check(defaults.WindowSeconds is >= 10 and <= 7 * 86_400, "DefaultRules:WindowSeconds", "must be 10–604800.");
        Check(defaults.ForSeconds is >= 0 and <= 86_400, "DefaultRules:ForSeconds", "must be 0–86400.");
        Check(defaults.RepeatIntervalSeconds is >= 1 and <= 7 * 86_400, "DefaultRules:RepeatIntervalSeconds", "must be 1–604800.");
        foreach (var (id, monitor) in options.Monitors)
        {
            Collect(errors, v => MonitoringValidation.Monitor(v, monitor with { Id = monitor.Id ?? id }, $"{Prefix}Monitors:{id}:"));
        }
        foreach (var (id, rule) in options.Rules)
        {
            Collect(errors, v => MonitoringValidation.Rule(v, rule with { Id = rule.Id ?? id }, $"{Prefix}Rules:{id}:"));
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Collect(List<string> errors, Action<Validation> validate)
    {
        var validation = new Validation();
        validate(validation);
        try
        {
            validation.ThrowIfInvalid();
        }
        catch (SwitchboardException ex)
        {
            errors.AddRange(ex.Errors!.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")));
        }
    }
}
