using Microsoft.Extensions.Options;

namespace Switchboard.Files;

internal sealed class FilesOptionsValidator : IValidateOptions<FilesOptions>
{
    /// <summary>1 TiB: far beyond what one HTTP upload should be, low enough to catch a unit mistake.</summary>
    public const long MaxUploadBytesCeiling = 1L << 40;

    public ValidateOptionsResult Validate(string? name, FilesOptions options)
    {
        var errors = new List<string>();
        if (options.MaxUploadBytes is < 1 or > MaxUploadBytesCeiling)
        {
            errors.Add($"Files:MaxUploadBytes: {options.MaxUploadBytes} is outside 1–{MaxUploadBytesCeiling} (1 TiB).");
        }
        if (options.QuotaBytesPerUser < 1)
        {
            errors.Add($"Files:QuotaBytesPerUser: {options.QuotaBytesPerUser} must be at least 1.");
        }
        if (options.IncompleteUploadExpiry < TimeSpan.FromSeconds(1) || options.IncompleteUploadExpiry > TimeSpan.FromDays(30))
        {
            errors.Add($"Files:IncompleteUploadExpiry: {options.IncompleteUploadExpiry} is outside 00:00:01–30.00:00:00.");
        }
        if (options.SweepInterval < TimeSpan.FromMilliseconds(100) || options.SweepInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"Files:SweepInterval: {options.SweepInterval} is outside 00:00:00.1–01:00:00.");
        }
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            errors.Add("Files:Path: must name a folder (relative paths are under the data folder).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
