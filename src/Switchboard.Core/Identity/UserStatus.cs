namespace Switchboard.Identity;

/// <summary>What every authenticated request needs to know about its user right now.</summary>
/// <param name="SecurityStamp">Changes with the password; an access token carrying another one was issued before the change.</param>
public sealed record UserStatus(Guid Id, string Username, string Role, bool Disabled, string SecurityStamp);
