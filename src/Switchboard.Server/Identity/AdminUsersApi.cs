using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Errors;
using Switchboard.Identity;
using Switchboard.Server.Platform;

namespace Switchboard.Server.Identity;

/// <summary><c>/v1/admin/users</c>: user administration; reading needs <c>users:read</c>, changes <c>users:manage</c>.</summary>
internal static class AdminUsersApi
{
    public static IEndpointRouteBuilder MapAdminUsersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/admin/users").WithTags("Identity").RequireAuthorization()
            .ProducesErrors(ErrorCodes.NotFound, ErrorCodes.UserNotFound, ErrorCodes.UsernameTaken, ErrorCodes.WeakPassword, ErrorCodes.LastAdmin);
        group.MapGet("", ListAsync).RequireScope("users", "read").WithName("ListUsers").WithSummary("Lists users in creation order, a page at a time.");
        group.MapPost("", CreateAsync).RequireScope("users", "manage").WithName("CreateUser").WithSummary("Creates a user with a role.");
        group.MapGet("/{id:guid}", GetAsync).RequireScope("users", "read").WithName("GetUser");
        group.MapPatch("/{id:guid}", UpdateAsync).RequireScope("users", "manage").WithName("UpdateUser").WithSummary("Changes role, disabled flag or display name.");
        group.MapPost("/{id:guid}/password", ResetPasswordAsync).RequireScope("users", "manage").WithName("ResetPassword").WithSummary("Sets a new password and ends the user's sessions.");
        return routes;
    }

    public sealed record UserPage(IReadOnlyList<UserResponse> Items, string? NextCursor);

    public sealed record CreateUserRequest(string? Username, string? Password, string? Role, string? DisplayName);

    public sealed record UpdateUserRequest(string? Role, bool? Disabled, string? DisplayName);

    public sealed record ResetPasswordRequest(string? Password);

    private static async Task<Ok<UserPage>> ListAsync(int? limit, string? cursor, UserService users, CancellationToken cancellationToken)
    {
        var (items, next) = await users.ListAsync(limit, cursor, cancellationToken);
        return TypedResults.Ok(new UserPage(items.Select(UserResponse.From).ToArray(), next));
    }

    private static async Task<Created<UserResponse>> CreateAsync(CreateUserRequest request, UserService users, CancellationToken cancellationToken)
    {
        var user = await users.CreateAsync(request.Username, request.Password, request.Role ?? Roles.User, request.DisplayName, cancellationToken);
        return TypedResults.Created($"/v1/admin/users/{user.Id}", UserResponse.From(user));
    }

    private static async Task<Ok<UserResponse>> GetAsync(Guid id, UserService users, CancellationToken cancellationToken) =>
        TypedResults.Ok(UserResponse.From(await users.GetAsync(id, cancellationToken)));

    private static async Task<Ok<UserResponse>> UpdateAsync(Guid id, UpdateUserRequest request, UserService users, CancellationToken cancellationToken) =>
        TypedResults.Ok(UserResponse.From(await users.UpdateAsync(id, request.Role, request.Disabled, request.DisplayName, cancellationToken)));

    private static async Task<NoContent> ResetPasswordAsync(Guid id, ResetPasswordRequest request, UserService users, CancellationToken cancellationToken)
    {
        await users.ResetPasswordAsync(id, request.Password, cancellationToken);
        return TypedResults.NoContent();
    }
}
