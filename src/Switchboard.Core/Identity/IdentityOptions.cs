namespace Switchboard.Identity;

/// <summary>Configuration section <c>Identity</c>.</summary>
public sealed class IdentityOptions
{
    public const string Section = "Identity";

    /// <summary>Password for the <c>admin</c> user created on first start; when unset a random one is generated and shown once.</summary>
    public string? BootstrapAdminPassword { get; set; }

    /// <summary>Whether <c>POST /v1/auth/register</c> is open.</summary>
    public bool AllowRegistration { get; set; } = true;

    /// <summary>The <c>iss</c> of tokens this server issues, and the <c>aud</c> it expects on them.</summary>
    public string Issuer { get; set; } = "switchboard";

    public string Audience { get; set; } = "switchboard";

    public int AccessTokenMinutes { get; set; } = 15;

    public int RefreshTokenDays { get; set; } = 30;

    public int MinPasswordLength { get; set; } = 10;

    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>How long an account stays locked; fractions are allowed (0.05 is three seconds).</summary>
    public double LockoutMinutes { get; set; } = 5;

    /// <summary>
    /// What the <c>user</c> role may do, as scopes. Admins may do everything. When none are configured,
    /// <see cref="DefaultUserScopes"/> apply: the list starts empty because the configuration binder appends
    /// to a list, so a default placed here could never be taken away.
    /// </summary>
    public List<string> UserScopes { get; set; } = [];

    public static IReadOnlyList<string> DefaultUserScopes { get; } = ["apikeys:manage", "chat:use", "files:use"];

    /// <summary>The configured user scopes, or the defaults when none are configured.</summary>
    public IReadOnlyList<string> EffectiveUserScopes => UserScopes.Count > 0 ? UserScopes : DefaultUserScopes;

    /// <summary>External OIDC issuers whose tokens are accepted.</summary>
    public List<ExternalIssuerOptions> ExternalIssuers { get; set; } = [];
}

public sealed class ExternalIssuerOptions
{
    /// <summary>A short name used in logs and as the authentication scheme suffix.</summary>
    public string Name { get; set; } = "";

    /// <summary>The issuer URL; its <c>/.well-known/openid-configuration</c> is read unless <see cref="JwksUrl"/> is set.</summary>
    public string? Authority { get; set; }

    /// <summary>The expected <c>iss</c> when it differs from <see cref="Authority"/>.</summary>
    public string? Issuer { get; set; }

    public string? JwksUrl { get; set; }

    public string Audience { get; set; } = "";

    /// <summary>The claim that carries roles (e.g. <c>realm_access.roles</c> flattened to <c>roles</c> for Keycloak).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The external role value that maps to Switchboard's <c>admin</c>.</summary>
    public string AdminRole { get; set; } = "admin";

    /// <summary>Allows http:// metadata, for loopback test issuers only.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
