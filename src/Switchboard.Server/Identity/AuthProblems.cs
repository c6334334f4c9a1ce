using Microsoft.IdentityModel.Tokens;
using Switchboard.Errors;
using Switchboard.Server.Platform;

namespace Switchboard.Server.Identity;

/// <summary>Authentication and authorization failures as problem documents with a code and a WWW-Authenticate header.</summary>
internal static class AuthProblems
{
    public static Task ChallengeAsync(HttpContext context, ErrorCode error, string? failure)
    {
        var header = failure is null
            ? "Bearer"
            : $"Bearer error=\"invalid_token\", error_description=\"{Sanitize(failure)}\"";
        context.Response.Headers.WWWAuthenticate = header;
        var detail = failure ?? $"Send an access token as 'Authorization: Bearer <token>' or an API key in '{IdentitySchemes.ApiKeyHeader}'.";
        return Problems.Result(context, failure is null ? ErrorCodes.Unauthorized : error, detail).ExecuteAsync(context);
    }

    public static Task ForbiddenAsync(HttpContext context) =>
        Problems.Result(context, ErrorCodes.Forbidden, "These credentials may not perform this operation.").ExecuteAsync(context);

    /// <summary>A reason a client can act on, without the library's internal diagnostics.</summary>
    public static string Describe(Exception failure) => failure switch
    {
        SecurityTokenExpiredException expired => $"The token expired at {expired.Expires:O}; refresh it or log in again.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenInvalidIssuerException => "The token's issuer is not accepted here.",
        SecurityTokenInvalidAudienceException => "The token's audience is not this server.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted.",
        SecurityTokenSignatureKeyNotFoundException => "The token was signed with an unknown key.",
        SecurityTokenInvalidSignatureException => "The token's signature is not valid.",
        SecurityTokenException => "The token is malformed or invalid.",
        ArgumentException => "The token is malformed.",
        // The handler could not fetch an external issuer's metadata or keys.
        InvalidOperationException => "The token's issuer could not be reached to fetch its signing keys; retry later.",
        _ => failure.Message,
    };

    private static string Sanitize(string text) => new(text.Where(c => c >= ' ' && c != '"' && c != '\\' && c < 127).ToArray());
}
