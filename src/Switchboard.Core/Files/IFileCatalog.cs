namespace Switchboard.Files;

/// <summary>Lets other features (chat attachments) look up an uploaded file without knowing how files are stored.</summary>
public interface IFileCatalog
{
    Task<FileSummary?> FindAsync(Guid id, CancellationToken cancellationToken = default);
}
