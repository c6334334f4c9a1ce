using Microsoft.Extensions.Options;

namespace Switchboard.Presence;

internal sealed class PresenceOptionsValidator : IValidateOptions<PresenceOptions>
{
    public ValidateOptionsResult Validate(string? name, PresenceOptions options)
    {
        var errors = new List<string>();
        if (options.AwayAfter < TimeSpan.Zero || options.AwayAfter > TimeSpan.FromDays(1))
        {
            errors.Add($"Chat:Presence:AwayAfter: {options.AwayAfter} is outside 00:00:00–1.00:00:00 (zero turns idle detection off).");
        }
        if (options.Heartbeat < TimeSpan.FromMilliseconds(100) || options.Heartbeat > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Chat:Presence:Heartbeat: {options.Heartbeat} is outside 00:00:00.1–00:05:00.");
        }
        if (options.NodeTimeout < options.Heartbeat * 2)
        {
            errors.Add($"Chat:Presence:NodeTimeout: {options.NodeTimeout} must be at least twice Chat:Presence:Heartbeat ({options.Heartbeat}), or live nodes would expire between heartbeats.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
