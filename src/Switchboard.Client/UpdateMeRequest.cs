namespace Switchboard.Client;

/// <summary>Changes to the caller's own account; members left null are not changed.</summary>
/// <param name="DisplayName">A new display name.</param>
/// <param name="CurrentPassword">The current password; required to set <paramref name="NewPassword"/>.</param>
/// <param name="NewPassword">A new password.</param>
public sealed record UpdateMeRequest(string? DisplayName = null, string? CurrentPassword = null, string? NewPassword = null);
