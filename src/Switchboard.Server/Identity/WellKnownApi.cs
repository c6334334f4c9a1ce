using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Identity;

namespace Switchboard.Server.Identity;

/// <summary>The public signing keys and a minimal OIDC discovery document, so others can verify this server's tokens.</summary>
internal static class WellKnownApi
{
    public static IEndpointRouteBuilder MapWellKnownApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/.well-known").WithTags("Identity").AllowAnonymous();
        group.MapGet("/jwks.json", Jwks).WithName("Jwks").WithSummary("The public keys that verify this server's access tokens.");
        group.MapGet("/openid-configuration", Discovery).WithName("OpenIdConfiguration");
        return routes;
    }

    public sealed record JsonWebKeyDocument(
        [property: JsonPropertyName("kty")] string Kty,
        [property: JsonPropertyName("use")] string Use,
        [property: JsonPropertyName("alg")] string Alg,
        [property: JsonPropertyName("kid")] string Kid,
        [property: JsonPropertyName("crv")] string Crv,
        [property: JsonPropertyName("x")] string X,
        [property: JsonPropertyName("y")] string Y);

    public sealed record JsonWebKeySetDocument([property: JsonPropertyName("keys")] IReadOnlyList<JsonWebKeyDocument> Keys);

    public sealed record DiscoveryDocument(
        [property: JsonPropertyName("issuer")] string Issuer,
        [property: JsonPropertyName("jwks_uri")] string JwksUri,
        [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
        [property: JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypesSupported,
        [property: JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> IdTokenSigningAlgValuesSupported);

    private static Ok<JsonWebKeySetDocument> Jwks(SigningKeyRing ring, HttpContext context)
    {
        // Short caching: a rotated key must reach verifiers well before it signs most tokens.
        context.Response.Headers.CacheControl = "public, max-age=60";
        var keys = ring.Keys.Select(k =>
        {
            var point = k.PublicKey.ECDsa.ExportParameters(includePrivateParameters: false).Q;
            return new JsonWebKeyDocument("EC", "sig", AccessTokens.Algorithm, k.Kid, "P-256",
                Base64UrlEncoder.Encode(point.X!), Base64UrlEncoder.Encode(point.Y!));
        }).ToArray();
        return TypedResults.Ok(new JsonWebKeySetDocument(keys));
    }

    private static Ok<DiscoveryDocument> Discovery(HttpContext context, IOptionsMonitor<IdentityOptions> options)
    {
        var request = context.Request;
        var root = $"{request.Scheme}://{request.Host}{request.PathBase}";
        return TypedResults.Ok(new DiscoveryDocument(
            options.CurrentValue.Issuer,
            root + "/.well-known/jwks.json",
            root + "/v1/auth/token",
            ["password", "refresh_token"],
            [AccessTokens.Algorithm]));
    }
}
