using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Errors;
using Switchboard.Identity;
using Switchboard.Server.Platform;

namespace Switchboard.Server.Identity;

/// <summary><c>/v1/auth</c>: registration, login, refresh-token rotation, logout and the caller's own account.</summary>
internal static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        // The token endpoints are how a caller gets credentials, so they are the anonymous ones.
        var tokens = routes.MapGroup("/v1/auth").WithTags("Identity").AllowAnonymous();
        tokens.MapPost("/register", RegisterAsync).ProducesErrors(ErrorCodes.RegistrationDisabled, ErrorCodes.UsernameTaken, ErrorCodes.WeakPassword)
            .WithName("Register").WithSummary("Creates a user account (unless Identity:AllowRegistration is false).");
        tokens.MapPost("/token", TokenAsync).ProducesErrors(ErrorCodes.InvalidCredentials, ErrorCodes.AccountLocked, ErrorCodes.AccountDisabled)
            .WithName("Login").WithSummary("Exchanges a username and password for an access token and a refresh token.");
        tokens.MapPost("/refresh", RefreshAsync).ProducesErrors(ErrorCodes.InvalidRefreshToken, ErrorCodes.RefreshTokenReused, ErrorCodes.AccountDisabled)
            .WithName("Refresh").WithSummary("Exchanges a refresh token for new tokens; the old refresh token is used up.");
        tokens.MapPost("/logout", LogoutAsync).WithName("Logout").WithSummary("Revokes the session of a refresh token.");

        var me = routes.MapGroup("/v1/auth/me").WithTags("Identity").RequireAuthorization();
        me.MapGet("", MeAsync).WithName("Me").WithSummary("Who the caller is and what it may do.");
        me.MapPatch("", UpdateMeAsync).ProducesErrors(ErrorCodes.InvalidCredentials, ErrorCodes.WeakPassword)
            .WithName("UpdateMe").WithSummary("Changes the caller's display name or, with the current password, password.");
        return routes;
    }

    public sealed record RegisterRequest(string? Username, string? Password, string? DisplayName);

    public sealed record TokenRequest(string? Username, string? Password);

    public sealed record RefreshRequest(string? RefreshToken);

    public sealed record TokenResponse(string AccessToken, string RefreshToken, string TokenType, int ExpiresIn);

    public sealed record MeResponse(string Id, string Username, string? DisplayName, string Role, string Kind, IReadOnlyList<string> Scopes);

    public sealed record UpdateMeRequest(string? DisplayName, string? CurrentPassword, string? NewPassword);

    private static async Task<Created<UserResponse>> RegisterAsync(RegisterRequest request, UserService users, CancellationToken cancellationToken)
    {
        var user = await users.RegisterAsync(request.Username, request.Password, request.DisplayName, cancellationToken);
        return TypedResults.Created($"/v1/admin/users/{user.Id}", UserResponse.From(user));
    }

    private static async Task<Ok<TokenResponse>> TokenAsync(TokenRequest request, TokenService tokens, HttpContext context, CancellationToken cancellationToken) =>
        Issued(context, await tokens.LoginAsync(request.Username, request.Password, cancellationToken));

    private static async Task<Ok<TokenResponse>> RefreshAsync(RefreshRequest request, TokenService tokens, HttpContext context, CancellationToken cancellationToken) =>
        Issued(context, await tokens.RefreshAsync(request.RefreshToken, cancellationToken));

    private static async Task<NoContent> LogoutAsync(RefreshRequest request, TokenService tokens, CancellationToken cancellationToken)
    {
        await tokens.LogoutAsync(request.RefreshToken, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MeResponse>> MeAsync(HttpContext context, UserService users, CancellationToken cancellationToken)
    {
        var caller = context.GetCaller();
        var scopes = (caller.CredentialScopes ?? caller.RoleScopes).Items.Select(s => s.ToString()).ToArray();
        string? displayName = null;
        if (caller.Kind != CallerKind.External && Guid.TryParse(caller.Id, out var id))
        {
            displayName = (await users.GetAsync(id, cancellationToken)).DisplayName;
        }
        return TypedResults.Ok(new MeResponse(caller.Id, caller.Name, displayName, caller.Role, KindName(caller.Kind), scopes));
    }

    private static async Task<Ok<UserResponse>> UpdateMeAsync(UpdateMeRequest request, HttpContext context, UserService users, CancellationToken cancellationToken)
    {
        var caller = context.GetCaller();
        if (caller.Kind == CallerKind.External)
        {
            throw new SwitchboardException(ErrorCodes.Forbidden, "This account is managed by its external issuer; change it there.");
        }
        // A key is a limited delegate of its owner: it must not change the account it acts for.
        if (caller.Kind != CallerKind.User || !Guid.TryParse(caller.Id, out var id))
        {
            throw new SwitchboardException(ErrorCodes.Forbidden, "Change the account with an access token from a login, not with an API key.");
        }
        var user = await users.UpdateSelfAsync(id, request.DisplayName, request.CurrentPassword, request.NewPassword, cancellationToken);
        return TypedResults.Ok(UserResponse.From(user));
    }

    private static Ok<TokenResponse> Issued(HttpContext context, TokenPair pair)
    {
        // Tokens must never be cached by a proxy or the browser (RFC 6749 §5.1).
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new TokenResponse(pair.AccessToken, pair.RefreshToken, "Bearer", pair.ExpiresIn));
    }

    internal static string KindName(CallerKind kind) => kind switch
    {
        CallerKind.ApiKey => SwitchboardClaims.KindApiKey,
        CallerKind.External => SwitchboardClaims.KindExternal,
        _ => SwitchboardClaims.KindUser,
    };
}
