using Microsoft.Extensions.Options;

namespace Switchboard.Server.Operations;

internal sealed class OperationsOptionsValidator : IValidateOptions<OperationsOptions>
{
    public ValidateOptionsResult Validate(string? name, OperationsOptions options)
    {
        var errors = new List<string>();
        if (options.Logs.FileSizeLimitBytes < 1024 * 1024)
        {
            errors.Add($"Operations:Logs:FileSizeLimitBytes: must be at least 1048576 (1 MiB; default 104857600), got {options.Logs.FileSizeLimitBytes}.");
        }
        if (!ConsoleFormats.All.Contains(options.Logs.ConsoleFormat, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"Operations:Logs:ConsoleFormat: '{options.Logs.ConsoleFormat}' must be one of {string.Join(", ", ConsoleFormats.All)}.");
        }
        if (options.Logs.RetainedFiles < 1)
        {
            errors.Add($"Operations:Logs:RetainedFiles: must be at least 1 (default 31), got {options.Logs.RetainedFiles}.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
