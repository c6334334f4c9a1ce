using Microsoft.IdentityModel.JsonWebTokens;
using Switchboard.Identity;

namespace Switchboard.Server.Identity;

/// <summary>
/// The authentication schemes and the selector of the default policy scheme: API keys (<c>sb_…</c> as
/// Bearer or in <c>X-Api-Key</c>) go to the API-key scheme, JWTs to the scheme of their (unvalidated)
/// <c>iss</c> when it names a configured external issuer, everything else to this server's own tokens.
/// </summary>
internal static class IdentitySchemes
{
    public const string Default = "switchboard";
    public const string Local = "switchboard-jwt";
    public const string ApiKey = "switchboard-api-key";
    public const string ApiKeyHeader = "X-Api-Key";

    public static string External(string name) => "external-" + name;

    public static string Select(HttpContext context, IReadOnlyDictionary<string, string> externalByIssuer)
    {
        var headers = context.Request.Headers;
        if (headers.ContainsKey(ApiKeyHeader))
        {
            return ApiKey;
        }
        var token = BearerToken(context);
        if (token is null)
        {
            return Local;
        }
        if (ApiKeyService.LooksLikeKey(token))
        {
            return ApiKey;
        }
        if (externalByIssuer.Count > 0 && TryReadIssuer(token, out var issuer)
            && (externalByIssuer.TryGetValue(issuer, out var scheme) || externalByIssuer.TryGetValue(issuer.TrimEnd('/'), out scheme)))
        {
            return scheme;
        }
        return Local;
    }

    public static string? BearerToken(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    private static bool TryReadIssuer(string token, out string issuer)
    {
        issuer = "";
        if (token.Length > 16 * 1024)
        {
            return false;
        }
        try
        {
            // Only routing: the chosen scheme validates signature, issuer and audience.
            issuer = new JsonWebToken(token).Issuer;
            return !string.IsNullOrEmpty(issuer);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
