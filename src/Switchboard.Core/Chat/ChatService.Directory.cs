using Switchboard.Errors;
using Switchboard.Identity;

namespace Switchboard.Chat;

public sealed partial class ChatService
{
    public const int MaxDirectoryLimit = 50;

    /// <summary>
    /// The user directory: enabled local users whose username starts with <paramref name="query"/>, for any caller who
    /// may chat, so that a private conversation can be started with someone found by name.
    /// </summary>
    public async Task<IReadOnlyList<DirectoryUser>> FindUsersAsync(Caller caller, string? query, int? limit, CancellationToken cancellationToken = default)
    {
        Demand(caller);
        var validation = new Validation();
        validation.Require(query is { Length: >= 1 and <= 64 }, "q", "q is the start of a username, 1–64 characters.");
        validation.Require(limit is null or (>= 1 and <= MaxDirectoryLimit), "limit", $"limit must be 1–{MaxDirectoryLimit}.");
        validation.ThrowIfInvalid();
        var take = limit ?? 20;
        // Disabled users are skipped after the query, so ask for a few more than needed.
        var users = await identity.SearchUsersAsync(query!, take + 10, cancellationToken).ConfigureAwait(false);
        return users.Where(u => !u.Disabled).Take(take).Select(u => new DirectoryUser(u.Id, u.Username, u.DisplayName)).ToArray();
    }

    /// <summary>Members named by user id or by username, as user ids; a username no user has is <c>user_not_found</c>.</summary>
    private async Task<string[]> ResolveMembersAsync(IReadOnlyList<string>? members, CancellationToken cancellationToken)
    {
        var ids = new string[members?.Count ?? 0];
        for (var i = 0; i < ids.Length; i++)
        {
            var member = members![i];
            if (Guid.TryParse(member, out _) || string.IsNullOrWhiteSpace(member) || !UserService.IsValidUsername(member.Trim()))
            {
                ids[i] = member;
                continue;
            }
            var user = await identity.FindUserByNameAsync(member.Trim(), cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                var ex = new SwitchboardException(ErrorCodes.UserNotFound, $"No user has the username '{member}'; members are named by user id or username.");
                ex.Extensions["userId"] = member;
                throw ex;
            }
            ids[i] = user.Id.ToString();
        }
        return ids;
    }
}
