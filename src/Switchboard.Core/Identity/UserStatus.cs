namespace Switchboard.Identity;

/// <summary>What every authenticated request needs to know about its user right now.</summary>
public sealed record UserStatus(Guid Id, string Username, string Role, bool Disabled);
