namespace Switchboard.Hosting;

/// <summary>
/// Secrets kept in the data folder (signing keys, the TLS key, the first admin password): readable only by
/// the owner from the moment they exist, and never seen half-written.
/// </summary>
public static class PrivateFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates or replaces <paramref name="path"/> with mode 0600, through a temporary file renamed into place.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        CreateFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        if (!OperatingSystem.IsWindows())
        {
            // The create mode applies only to a new file; a leftover temporary file would keep its old mode.
            File.SetUnixFileMode(temporary, OwnerOnly);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Creates <paramref name="folder"/> if needed and makes it 0700.</summary>
    public static void CreateFolder(string folder)
    {
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, OwnerOnly | UnixFileMode.UserExecute);
        }
    }
}
