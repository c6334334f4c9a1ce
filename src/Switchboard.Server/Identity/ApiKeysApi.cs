using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Errors;
using Switchboard.Identity;

using Switchboard.Server.Platform;

namespace Switchboard.Server.Identity;

/// <summary><c>/v1/api-keys</c>: the caller's own API keys (scope <c>apikeys:manage</c>); <c>?all=true</c> also needs <c>users:read</c>.</summary>
internal static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/api-keys").WithTags("Identity").RequireScope("apikeys", "manage").ProducesErrors(ErrorCodes.NotFound);
        group.MapPost("", CreateAsync).WithName("CreateApiKey").WithSummary("Creates an API key; the secret is returned once.");
        group.MapGet("", ListAsync).WithName("ListApiKeys").WithSummary("Lists the caller's API keys (admins: ?all=true for everyone's).");
        group.MapDelete("/{id:guid}", RevokeAsync).WithName("RevokeApiKey").WithSummary("Revokes an API key at once.");
        return routes;
    }

    public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string>? Scopes, DateTimeOffset? ExpiresAt);

    public sealed record CreatedApiKeyResponse(Guid Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Key);

    public sealed record ApiKeyResponse(
        Guid Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

    public sealed record ApiKeyList(IReadOnlyList<ApiKeyResponse> Items);

    private static async Task<Created<CreatedApiKeyResponse>> CreateAsync(CreateApiKeyRequest request, HttpContext context, ApiKeyService apiKeys, CancellationToken cancellationToken)
    {
        var created = await apiKeys.CreateAsync(context.GetCaller(), request.Name, request.Scopes, request.ExpiresAt, cancellationToken);
        var key = created.ApiKey;
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/v1/api-keys/{key.Id}",
            new CreatedApiKeyResponse(key.Id, key.Name, key.Scopes, key.CreatedAt.ToUniversalTime(), key.ExpiresAt?.ToUniversalTime(), created.Key));
    }

    private static async Task<Ok<ApiKeyList>> ListAsync(bool? all, HttpContext context, ApiKeyService apiKeys, CancellationToken cancellationToken)
    {
        var keys = await apiKeys.ListAsync(context.GetCaller(), all == true, cancellationToken);
        return TypedResults.Ok(new ApiKeyList(keys.Select(k => new ApiKeyResponse(k.Id, k.Name, k.Scopes, k.CreatedAt.ToUniversalTime(),
            k.ExpiresAt?.ToUniversalTime(), k.LastUsedAt?.ToUniversalTime(), k.RevokedAt?.ToUniversalTime())).ToArray()));
    }

    private static async Task<NoContent> RevokeAsync(Guid id, HttpContext context, ApiKeyService apiKeys, CancellationToken cancellationToken)
    {
        await apiKeys.RevokeAsync(context.GetCaller(), id, cancellationToken);
        return TypedResults.NoContent();
    }
}
