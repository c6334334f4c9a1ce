namespace Switchboard.Server.Identity;

/// <summary>Claim types on an authenticated Switchboard principal, whichever scheme produced it.</summary>
internal static class SwitchboardClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string Scope = "scope";

    /// <summary><c>user</c>, <c>api_key</c> or <c>external</c>.</summary>
    public const string Kind = "sb_kind";

    public const string KindUser = "user";
    public const string KindApiKey = "api_key";
    public const string KindExternal = "external";
}
