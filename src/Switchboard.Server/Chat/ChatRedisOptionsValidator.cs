using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Switchboard.Server.Chat;

internal sealed class ChatRedisOptionsValidator : IValidateOptions<ChatRedisOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatRedisOptions options)
    {
        var errors = new List<string>();
        if (options.Enabled)
        {
            try
            {
                ConfigurationOptions.Parse(options.Configuration!);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"Chat:Redis:Configuration: '{options.Configuration}' is not a Redis configuration string ({ex.Message}); use e.g. '127.0.0.1:6379'.");
            }
        }
        if (string.IsNullOrEmpty(options.Prefix) || options.Prefix.Length > 64
            || !options.Prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            errors.Add($"Chat:Redis:Prefix: '{options.Prefix}' must be 1–64 characters of letters, digits, '-', '_', '.' or ':'.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
