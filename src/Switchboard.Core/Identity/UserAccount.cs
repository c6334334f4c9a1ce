namespace Switchboard.Identity;

/// <summary>A local user as stored. <see cref="PasswordHash"/> is an ASP.NET Core Identity hash, never the password.</summary>
public sealed record UserAccount(
    Guid Id,
    string Username,
    string? DisplayName,
    string PasswordHash,
    string Role,
    bool Disabled,
    int FailedLogins,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;
}
