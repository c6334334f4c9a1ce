namespace Switchboard.Files;

/// <summary>The files feature's answer to other features: does this file exist, who uploaded it, is it complete.</summary>
internal sealed class FileCatalog(FileService files) : IFileCatalog
{
    public Task<FileSummary?> FindAsync(Guid id, CancellationToken cancellationToken = default) => files.FindAsync(id, cancellationToken);
}
