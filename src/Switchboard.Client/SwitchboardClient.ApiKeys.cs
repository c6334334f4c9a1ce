namespace Switchboard.Client;

public sealed partial class SwitchboardClient
{
    internal sealed record ApiKeyList(IReadOnlyList<ApiKeyInfo> Items);

    /// <summary>Creates an API key owned by the caller (<c>POST /v1/api-keys</c>).</summary>
    /// <param name="key">The key's name, scopes and expiry.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The key, including its secret, which is never shown again.</returns>
    public Task<CreatedApiKey> CreateApiKeyAsync(CreateApiKeyRequest key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SendAsync<CreatedApiKey>(HttpMethod.Post, "v1/api-keys", key, Auth.Required, cancellationToken);
    }

    /// <summary>Lists the caller's API keys, revoked ones included (<c>GET /v1/api-keys</c>).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The keys, without their secrets.</returns>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<ApiKeyList>(HttpMethod.Get, "v1/api-keys", null, Auth.Required, cancellationToken).ConfigureAwait(false)).Items;

    /// <summary>Revokes an API key (<c>DELETE /v1/api-keys/{id}</c>); requests with it fail from now on.</summary>
    /// <param name="id">The key's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task RevokeApiKeyAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendWithoutResultAsync(HttpMethod.Delete, "v1/api-keys/" + Segment(id), null, Auth.Required, cancellationToken);
}
