namespace Switchboard.Client;

public sealed partial class SwitchboardClient
{
    internal sealed record PasswordBody(string Password);

    /// <summary>Lists accounts, oldest first (<c>GET /v1/admin/users</c>). Admins only.</summary>
    /// <param name="limit">Most items on the page; null for the server's default.</param>
    /// <param name="cursor">The <see cref="Page{T}.NextCursor"/> of the previous page; null for the first page.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One page of accounts.</returns>
    public Task<Page<User>> ListUsersAsync(int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        SendAsync<Page<User>>(HttpMethod.Get, "v1/admin/users" + Query(("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("cursor", cursor)),
            null, Auth.Required, cancellationToken);

    /// <summary>Creates an account (<c>POST /v1/admin/users</c>). Admins only.</summary>
    /// <param name="user">The new account.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The created account.</returns>
    /// <exception cref="SwitchboardApiException"><c>username_taken</c>, <c>weak_password</c>, <c>validation_failed</c>, …</exception>
    public Task<User> CreateUserAsync(CreateUserRequest user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return SendAsync<User>(HttpMethod.Post, "v1/admin/users", user, Auth.Required, cancellationToken);
    }

    /// <summary>Reads one account (<c>GET /v1/admin/users/{id}</c>). Admins only.</summary>
    /// <param name="id">The account's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The account.</returns>
    /// <exception cref="SwitchboardApiException"><c>not_found</c> when no account has this id.</exception>
    public Task<User> GetUserAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<User>(HttpMethod.Get, "v1/admin/users/" + Segment(id), null, Auth.Required, cancellationToken);

    /// <summary>Changes an account's role, display name or disabled flag (<c>PATCH /v1/admin/users/{id}</c>). Admins only.</summary>
    /// <param name="id">The account's id.</param>
    /// <param name="changes">What to change; null members stay as they are.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The updated account.</returns>
    public Task<User> UpdateUserAsync(Guid id, UpdateUserRequest changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return SendAsync<User>(HttpMethod.Patch, "v1/admin/users/" + Segment(id), changes, Auth.Required, cancellationToken);
    }

    /// <summary>Sets a new password for an account (<c>POST /v1/admin/users/{id}/password</c>). Admins only.</summary>
    /// <param name="id">The account's id.</param>
    /// <param name="password">The new password; it must meet the server's policy.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task ResetUserPasswordAsync(Guid id, string password, CancellationToken cancellationToken = default) =>
        SendWithoutResultAsync(HttpMethod.Post, "v1/admin/users/" + Segment(id) + "/password", new PasswordBody(password), Auth.Required, cancellationToken);
}
