namespace Switchboard.Files;

/// <summary>
/// A reason, beyond being its uploader or an admin, why a user may download a file; chat grants it to the members of
/// every conversation where the file is attached. Any one grant that says yes is enough.
/// </summary>
public interface IFileReadGrant
{
    Task<bool> AllowsAsync(string userId, Guid fileId, CancellationToken cancellationToken = default);
}
