using Microsoft.Extensions.Options;
using Switchboard.Hosting;

namespace Switchboard.Server.Hosting;

internal sealed class DataOptionsValidator : IValidateOptions<DataOptions>
{
    public ValidateOptionsResult Validate(string? name, DataOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            return ValidateOptionsResult.Fail("Data:Path: must name a folder (default ./data).");
        }
        if (options.Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            return ValidateOptionsResult.Fail($"Data:Path: '{options.Path}' contains characters that are not allowed in a path.");
        }
        return ValidateOptionsResult.Success;
    }
}
