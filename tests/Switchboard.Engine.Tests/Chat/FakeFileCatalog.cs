using System.Collections.Concurrent;
using Switchboard.Files;

namespace Switchboard.Engine.Tests.Chat;

internal sealed class FakeFileCatalog : IFileCatalog
{
    private readonly ConcurrentDictionary<Guid, FileSummary> _files = new();

    public FileSummary Add(string ownerId, bool complete = true)
    {
        var file = new FileSummary(Guid.CreateVersion7(), ownerId, "photo.jpg", "image/jpeg", 1234, new string('a', 64), complete);
        _files[file.Id] = file;
        return file;
    }

    public Task<FileSummary?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_files.TryGetValue(id, out var file) ? file : null);
}
