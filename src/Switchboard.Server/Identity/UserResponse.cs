using Switchboard.Identity;

namespace Switchboard.Server.Identity;

/// <summary>A user as the API shows it: never the password hash or the lockout counters.</summary>
public sealed record UserResponse(Guid Id, string Username, string? DisplayName, string Role, bool Disabled, DateTimeOffset CreatedAt)
{
    internal static UserResponse From(UserAccount user) =>
        new(user.Id, user.Username, user.DisplayName, user.Role, user.Disabled, user.CreatedAt.ToUniversalTime());
}
