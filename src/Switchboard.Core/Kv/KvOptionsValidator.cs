using Microsoft.Extensions.Options;

namespace Switchboard.Kv;

internal sealed class KvOptionsValidator : IValidateOptions<KvOptions>
{
    public const int MaxValueBytesCeiling = 16 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, KvOptions options)
    {
        var errors = new List<string>();
        if (options.MaxValueBytes is < 1 or > MaxValueBytesCeiling)
        {
            errors.Add($"Kv:MaxValueBytes: {options.MaxValueBytes} is outside 1–{MaxValueBytesCeiling} (16 MiB).");
        }
        if (options.SweepInterval < TimeSpan.FromMilliseconds(100) || options.SweepInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"Kv:SweepInterval: {options.SweepInterval} is outside 00:00:00.1–01:00:00.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
