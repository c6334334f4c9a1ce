using Microsoft.Extensions.Options;
using Switchboard.Errors;
using Switchboard.Hosting;

namespace Switchboard.Files;

/// <summary>
/// Upload bytes as plain files under <c>&lt;data&gt;/files/&lt;xx&gt;/&lt;id&gt;</c>, where <c>xx</c> is the id's last
/// two hex digits (so no folder grows without bound). Names come only from server-generated ids, so nothing a
/// client sends can reach another path. Several nodes can share it only through a shared folder.
/// </summary>
internal sealed class LocalFileContentStore : IFileContentStore
{
    private const int BufferSize = 1024 * 1024;

    public LocalFileContentStore(IOptions<FilesOptions> options, IOptions<DataOptions> data)
        : this(data.Value.Resolve(options.Value.Path))
    {
    }

    internal LocalFileContentStore(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    /// <summary>Where the bytes of <paramref name="id"/> are (whether or not they exist).</summary>
    public string PathOf(Guid id)
    {
        var name = id.ToString("n");
        return Path.Combine(Root, name[^2..], name);
    }

    public Task<Stream> OpenAppendAsync(Guid id, long offset, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(id);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            BufferSize = 0,
            Options = FileOptions.Asynchronous,
        });
        try
        {
            if (stream.Length < offset)
            {
                // Another node took the first bytes, or the folder lost them: a deployment problem, not the client's.
                throw new SwitchboardException(ErrorCodes.Unavailable,
                    $"This node holds {stream.Length} of the {offset} bytes already received for upload {id}. Give every node the same "
                    + "Files:Path (a shared folder), or route each upload's requests to one node; then resume from HEAD's offset.");
            }
            // Bytes past the recorded offset belong to a request whose offset was never recorded (a crash, a rejected chunk).
            stream.SetLength(offset);
            stream.Position = offset;
            return Task.FromResult<Stream>(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public Task<Stream?> OpenReadAsync(Guid id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return Task.FromResult<Stream?>(new FileStream(PathOf(id), new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                BufferSize = BufferSize,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            }));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        // File.Delete is silent when the file does not exist; a missing shard folder is the same thing.
        try
        {
            File.Delete(PathOf(id));
        }
        catch (DirectoryNotFoundException)
        {
        }
        return Task.CompletedTask;
    }
}
