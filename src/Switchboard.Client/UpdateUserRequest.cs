namespace Switchboard.Client;

/// <summary>An admin's changes to an account; members left null are not changed.</summary>
/// <param name="Role"><c>admin</c> or <c>user</c>.</param>
/// <param name="Disabled">Whether the account may not log in.</param>
/// <param name="DisplayName">A new display name.</param>
public sealed record UpdateUserRequest(string? Role = null, bool? Disabled = null, string? DisplayName = null);
