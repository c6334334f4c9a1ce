using Switchboard.Files;

namespace Switchboard.Chat;

/// <summary>Members of a conversation may download the files attached to its (not deleted) messages.</summary>
internal sealed class ChatFileGrant(IChatStore store) : IFileReadGrant
{
    public Task<bool> AllowsAsync(string userId, Guid fileId, CancellationToken cancellationToken = default) =>
        store.IsAttachmentVisibleAsync(userId, fileId, cancellationToken);
}
