using System.Collections.Concurrent;

namespace Switchboard.Files;

/// <summary>
/// This node's uploads in flight: one writer at a time per upload, and the running whole-file SHA-256 kept
/// between requests so each PATCH hashes only its own bytes. The hash state is not persisted: after a
/// restart, on another node, or after a rejected chunk the written prefix is re-hashed from storage once.
/// </summary>
internal sealed class UploadSessions
{
    private readonly ConcurrentDictionary<Guid, UploadSession> _sessions = new();

    /// <summary>The upload's session, held by the caller until <see cref="Release"/>; null when another request holds it.</summary>
    public UploadSession? TryAcquire(Guid id)
    {
        while (true)
        {
            var session = _sessions.GetOrAdd(id, static _ => new UploadSession());
            if (!session.TryEnter())
            {
                return null;
            }
            // Forget may have removed it between GetOrAdd and TryEnter; then start over with a fresh one.
            if (_sessions.TryGetValue(id, out var current) && ReferenceEquals(current, session))
            {
                return session;
            }
            session.Exit();
        }
    }

    public static void Release(UploadSession session) => session.Exit();

    /// <summary>Drops the upload's state once it is complete, failed or deleted.</summary>
    public void Forget(Guid id)
    {
        if (_sessions.TryRemove(id, out var session) && session.TryEnter())
        {
            session.Reset();
            session.Exit();
        }
    }
}
