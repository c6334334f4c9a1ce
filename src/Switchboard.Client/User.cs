namespace Switchboard.Client;

/// <summary>A local user account.</summary>
/// <param name="Id">The user's id (UUIDv7).</param>
/// <param name="Username">The unique login name.</param>
/// <param name="DisplayName">The name shown to other people, when set.</param>
/// <param name="Role"><c>admin</c> or <c>user</c>.</param>
/// <param name="Disabled">Whether the account may not log in.</param>
/// <param name="CreatedAt">When the account was created (UTC).</param>
public sealed record User(Guid Id, string Username, string? DisplayName, string Role, bool Disabled, DateTimeOffset CreatedAt);
