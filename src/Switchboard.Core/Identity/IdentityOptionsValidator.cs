using Microsoft.Extensions.Options;

namespace Switchboard.Identity;

internal sealed class IdentityOptionsValidator : IValidateOptions<IdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentityOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            errors.Add("Identity:Issuer: must name this server as token issuer (default 'switchboard').");
        }
        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            errors.Add("Identity:Audience: must name the audience of this server's tokens (default 'switchboard').");
        }
        if (options.AccessTokenMinutes is < 1 or > 1440)
        {
            errors.Add($"Identity:AccessTokenMinutes: {options.AccessTokenMinutes} is outside 1–1440.");
        }
        if (options.RefreshTokenDays is < 1 or > 365)
        {
            errors.Add($"Identity:RefreshTokenDays: {options.RefreshTokenDays} is outside 1–365.");
        }
        if (options.MinPasswordLength is < 8 or > 128)
        {
            errors.Add($"Identity:MinPasswordLength: {options.MinPasswordLength} is outside 8–128.");
        }
        if (options.MaxFailedLogins is < 1 or > 100)
        {
            errors.Add($"Identity:MaxFailedLogins: {options.MaxFailedLogins} is outside 1–100.");
        }
        if (!(options.LockoutMinutes > 0 && options.LockoutMinutes <= 1440))
        {
            errors.Add($"Identity:LockoutMinutes: {options.LockoutMinutes} must be more than 0 and at most 1440.");
        }
        if (options.BootstrapAdminPassword is { Length: > 0 } password && password.Length < options.MinPasswordLength)
        {
            errors.Add($"Identity:BootstrapAdminPassword: must have at least Identity:MinPasswordLength ({options.MinPasswordLength}) characters, or be left unset to generate one.");
        }
        for (var i = 0; i < options.UserScopes.Count; i++)
        {
            if (!Scope.TryParse(options.UserScopes[i], out _))
            {
                errors.Add($"Identity:UserScopes:{i}: '{options.UserScopes[i]}' is not a scope of the form area:action[:pattern].");
            }
        }
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.ExternalIssuers.Count; i++)
        {
            ValidateIssuer(options.ExternalIssuers[i], $"Identity:ExternalIssuers:{i}", names, errors);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateIssuer(ExternalIssuerOptions issuer, string key, HashSet<string> names, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(issuer.Name) || !issuer.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors.Add($"{key}:Name: required, letters, digits, '-' or '_' (e.g. 'keycloak').");
        }
        else if (!names.Add(issuer.Name))
        {
            errors.Add($"{key}:Name: '{issuer.Name}' is used by another external issuer.");
        }
        if (string.IsNullOrWhiteSpace(issuer.Authority) && string.IsNullOrWhiteSpace(issuer.JwksUrl))
        {
            errors.Add($"{key}:Authority: set Authority (its openid-configuration is read) or JwksUrl.");
        }
        CheckUrl(issuer.Authority, $"{key}:Authority", issuer.RequireHttpsMetadata, errors);
        CheckUrl(issuer.JwksUrl, $"{key}:JwksUrl", issuer.RequireHttpsMetadata, errors);
        if (string.IsNullOrWhiteSpace(issuer.Authority) && string.IsNullOrWhiteSpace(issuer.Issuer))
        {
            errors.Add($"{key}:Issuer: required with JwksUrl and no Authority: the 'iss' its tokens carry.");
        }
        if (string.IsNullOrWhiteSpace(issuer.Audience))
        {
            errors.Add($"{key}:Audience: required: the 'aud' its tokens carry for Switchboard.");
        }
        if (string.IsNullOrWhiteSpace(issuer.RoleClaim))
        {
            errors.Add($"{key}:RoleClaim: required (default 'roles').");
        }
    }

    private static void CheckUrl(string? url, string key, bool requireHttps, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{key}: '{url}' is not an absolute http(s) URL.");
        }
        else if (requireHttps && uri.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add($"{key}: '{url}' must use https (set RequireHttpsMetadata to false only for a loopback test issuer).");
        }
    }
}
