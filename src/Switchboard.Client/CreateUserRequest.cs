namespace Switchboard.Client;

/// <summary>A new account created by an admin.</summary>
/// <param name="Username">The unique login name.</param>
/// <param name="Password">The initial password.</param>
/// <param name="Role"><c>admin</c> or <c>user</c>.</param>
/// <param name="DisplayName">The name shown to other people.</param>
public sealed record CreateUserRequest(string Username, string Password, string Role = "user", string? DisplayName = null);
