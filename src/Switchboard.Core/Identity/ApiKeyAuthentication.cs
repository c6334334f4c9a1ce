namespace Switchboard.Identity;

/// <summary>The outcome of checking a presented API key: the key and its owner, or why it was refused.</summary>
public sealed record ApiKeyAuthentication(ApiKey? Key, UserStatus? Owner, string? Failure)
{
    public bool Succeeded => Key is not null && Owner is not null;

    internal static ApiKeyAuthentication Fail(string reason) => new(null, null, reason);
}
