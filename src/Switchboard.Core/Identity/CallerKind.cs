namespace Switchboard.Identity;

public enum CallerKind
{
    /// <summary>A local user with an access token issued by this server.</summary>
    User,

    /// <summary>A service using an API key; limited by the key's scopes and its owner's rights.</summary>
    ApiKey,

    /// <summary>A principal whose token was issued by a configured external OIDC issuer.</summary>
    External,
}
