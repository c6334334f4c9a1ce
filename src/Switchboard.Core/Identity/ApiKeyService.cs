using System.Collections.Concurrent;
using Switchboard.Errors;

namespace Switchboard.Identity;

/// <summary>
/// API keys: <c>sb_&lt;keyId&gt;_&lt;secret&gt;</c> with 32 random bytes of secret, stored as a SHA-256 hash. A key
/// acts as its owner, limited to its scopes, which may never exceed what the creator may do.
/// </summary>
public sealed class ApiKeyService(IIdentityStore store, UserStatusCache statusCache, TimeProvider time)
{
    public const string Prefix = "sb_";
    public const int MaxNameLength = 100;
    public const int MaxScopes = 64;

    // lastUsedAt is informational: one write per key per minute is plenty.
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _touched = new();

    public async Task<CreatedApiKey> CreateAsync(Caller caller, string? name, IReadOnlyList<string>? scopes, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        var owner = LocalUserId(caller);
        var now = time.GetUtcNow();
        var validation = new Validation();
        validation.Require(!string.IsNullOrWhiteSpace(name) && name.Length <= MaxNameLength && !name.Any(char.IsControl),
            "name", $"name is required: 1–{MaxNameLength} characters without control characters.");
        var parsed = new List<Scope>();
        if (scopes is null || scopes.Count == 0 || scopes.Count > MaxScopes)
        {
            validation.Add("scopes", $"scopes must list 1–{MaxScopes} scopes such as 'broker:publish:orders.*'.");
        }
        else
        {
            for (var i = 0; i < scopes.Count; i++)
            {
                if (Scope.TryParse(scopes[i], out var scope))
                {
                    parsed.Add(scope);
                }
                else
                {
                    validation.Add($"scopes[{i}]", $"'{scopes[i]}' is not a scope of the form area:action[:pattern].");
                }
            }
        }
        validation.Require(expiresAt is null || expiresAt > now, "expiresAt", "expiresAt must be in the future.");
        validation.ThrowIfInvalid();

        var requested = new ScopeSet(parsed);
        if (!caller.RoleScopes.Covers(requested) || (caller.CredentialScopes is not null && !caller.CredentialScopes.Covers(requested)))
        {
            var ex = new SwitchboardException(ErrorCodes.InsufficientScope,
                $"A key cannot have more rights than its creator; '{requested}' exceeds yours.");
            ex.Extensions["requestedScopes"] = requested.Items.Select(s => s.ToString()).ToArray();
            throw ex;
        }

        var id = Guid.CreateVersion7();
        var secret = Secrets.Random(32);
        var key = $"{Prefix}{id:N}_{secret}";
        var apiKey = new ApiKey(id, owner, name!.Trim(), Secrets.Hash(secret), requested.Items.Select(s => s.ToString()).ToArray(),
            now, expiresAt?.ToUniversalTime(), null, null);
        await store.CreateApiKeyAsync(apiKey, cancellationToken).ConfigureAwait(false);
        return new CreatedApiKey(apiKey, key);
    }

    /// <summary>The caller's own keys, or with <paramref name="all"/> everyone's (needs <c>users:read</c>).</summary>
    public Task<IReadOnlyList<ApiKey>> ListAsync(Caller caller, bool all, CancellationToken cancellationToken = default)
    {
        if (all)
        {
            caller.Demand("users", "read");
            return store.ListApiKeysAsync(null, cancellationToken);
        }
        return store.ListApiKeysAsync(LocalUserId(caller), cancellationToken);
    }

    /// <summary>Revokes one of the caller's keys; an admin with <c>users:manage</c> may revoke anyone's.</summary>
    public async Task RevokeAsync(Caller caller, Guid id, CancellationToken cancellationToken = default)
    {
        var key = await store.GetApiKeyAsync(id, cancellationToken).ConfigureAwait(false);
        // Someone else's key is reported as missing, so ids of other users' keys cannot be probed.
        if (key is null || (key.OwnerId.ToString() != caller.Id && !caller.Can("users", "manage")) || caller.Kind == CallerKind.External)
        {
            throw SwitchboardException.NotFound($"API key '{id}'");
        }
        if (key.RevokedAt is null)
        {
            await store.RevokeApiKeyAsync(id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Checks a presented key: format, secret (constant time), revocation, expiry and the owner's status.</summary>
    public async Task<ApiKeyAuthentication> AuthenticateAsync(string presented, CancellationToken cancellationToken = default)
    {
        if (!TryParse(presented, out var id, out var secret))
        {
            return ApiKeyAuthentication.Fail("The API key is malformed; expected sb_<id>_<secret>.");
        }
        var key = await store.GetApiKeyAsync(id, cancellationToken).ConfigureAwait(false);
        if (key is null || !Secrets.HashEquals(key.SecretHash, Secrets.Hash(secret)))
        {
            return ApiKeyAuthentication.Fail("The API key is unknown.");
        }
        var now = time.GetUtcNow();
        if (key.RevokedAt is not null)
        {
            return ApiKeyAuthentication.Fail("The API key was revoked.");
        }
        if (key.ExpiresAt is { } expires && expires <= now)
        {
            return ApiKeyAuthentication.Fail("The API key has expired.");
        }
        var owner = await statusCache.GetAsync(key.OwnerId, cancellationToken).ConfigureAwait(false);
        if (owner is null || owner.Disabled)
        {
            return ApiKeyAuthentication.Fail("The owner of this API key is disabled.");
        }
        await TouchAsync(key, now, cancellationToken).ConfigureAwait(false);
        return new ApiKeyAuthentication(key, owner, null);
    }

    public static bool LooksLikeKey(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    internal static bool TryParse(string presented, out Guid id, out string secret)
    {
        id = Guid.Empty;
        secret = "";
        // sb_ + 32 hex digits + _ + secret; the secret is base64url and may itself contain '_'.
        if (presented.Length < Prefix.Length + 33 + 40 || presented.Length > 200 || !LooksLikeKey(presented) || presented[Prefix.Length + 32] != '_')
        {
            return false;
        }
        if (!Guid.TryParseExact(presented.AsSpan(Prefix.Length, 32), "N", out id))
        {
            return false;
        }
        secret = presented[(Prefix.Length + 33)..];
        return true;
    }

    private async Task TouchAsync(ApiKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var last = _touched.TryGetValue(key.Id, out var remembered) ? remembered : key.LastUsedAt ?? DateTimeOffset.MinValue;
        if (now - last < TouchInterval)
        {
            return;
        }
        // Claim the slot first so concurrent requests of the same key do not all write.
        if (_touched.TryGetValue(key.Id, out var current) ? !_touched.TryUpdate(key.Id, now, current) : !_touched.TryAdd(key.Id, now))
        {
            return;
        }
        await store.TouchApiKeyAsync(key.Id, now, cancellationToken).ConfigureAwait(false);
    }

    private static Guid LocalUserId(Caller caller) =>
        caller.Kind != CallerKind.External && Guid.TryParse(caller.Id, out var id)
            ? id
            : throw new SwitchboardException(ErrorCodes.Forbidden, "API keys belong to local users; sign in with a local account to manage them.");
}
