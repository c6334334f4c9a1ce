using Microsoft.Extensions.Options;

namespace Switchboard.Chat;

internal sealed class ChatOptionsValidator : IValidateOptions<ChatOptions>
{
    public const int MaxGroupMembersCeiling = 10_000;
    public const int MaxTextBytesCeiling = 1024 * 1024;
    public const int MaxAttachmentsCeiling = 100;

    public ValidateOptionsResult Validate(string? name, ChatOptions options)
    {
        var errors = new List<string>();
        if (options.MaxGroupMembers is < 3 or > MaxGroupMembersCeiling)
        {
            errors.Add($"Chat:MaxGroupMembers: {options.MaxGroupMembers} is outside 3–{MaxGroupMembersCeiling} (a group has at least 3 members).");
        }
        if (options.MaxTextBytes is < 1 or > MaxTextBytesCeiling)
        {
            errors.Add($"Chat:MaxTextBytes: {options.MaxTextBytes} is outside 1–{MaxTextBytesCeiling} (1 MiB).");
        }
        if (options.MaxAttachments is < 0 or > MaxAttachmentsCeiling)
        {
            errors.Add($"Chat:MaxAttachments: {options.MaxAttachments} is outside 0–{MaxAttachmentsCeiling}.");
        }
        if (options.MaxNameLength is < 1 or > 1000)
        {
            errors.Add($"Chat:MaxNameLength: {options.MaxNameLength} is outside 1–1000.");
        }
        if (options.MaxDescriptionLength is < 1 or > 100_000)
        {
            errors.Add($"Chat:MaxDescriptionLength: {options.MaxDescriptionLength} is outside 1–100000.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
