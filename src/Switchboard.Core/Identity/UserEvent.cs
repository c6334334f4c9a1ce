namespace Switchboard.Identity;

/// <summary>The data of <c>user.registered</c> and <c>user.login</c> on <c>$sys.events</c>; never a secret.</summary>
public sealed record UserEvent(Guid UserId, string Username, string Role);
