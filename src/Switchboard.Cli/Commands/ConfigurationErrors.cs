using Microsoft.Extensions.Options;

namespace Switchboard.Cli.Commands;

/// <summary>Reads the failures of options validation, whichever shape the host threw them in, and reports them.</summary>
internal static class ConfigurationErrors
{
    /// <summary>Every validation message in <paramref name="exception"/>; each starts with its configuration key.</summary>
    public static bool TryRead(Exception exception, out IReadOnlyList<string> failures)
    {
        var found = new List<string>();
        Collect(exception, found);
        failures = found;
        return found.Count > 0;
    }

    public static void Report(TextWriter error, IReadOnlyList<string> failures)
    {
        error.WriteLine(failures.Count == 1 ? "Configuration is invalid:" : $"Configuration is invalid ({failures.Count} problems):");
        foreach (var failure in failures)
        {
            error.WriteLine("  " + failure);
        }
        error.WriteLine("Fix these keys in appsettings.json, appsettings.{Environment}.json, SWITCHBOARD_Section__Key environment variables " +
            "or flags, then run 'switchboard config check' again. docs/configuration.md lists every key.");
    }

    private static void Collect(Exception exception, List<string> found)
    {
        switch (exception)
        {
            case OptionsValidationException validation:
                found.AddRange(validation.Failures);
                break;
            // The host throws an AggregateException when more than one options type fails.
            case AggregateException aggregate:
                foreach (var inner in aggregate.InnerExceptions)
                {
                    Collect(inner, found);
                }
                break;
        }
    }
}
