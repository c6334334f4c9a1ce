namespace Switchboard.Hosting;

/// <summary>Configuration section <c>Data</c>: the folder that holds everything the server keeps.</summary>
public sealed class DataOptions
{
    public const string Section = "Data";

    /// <summary>Database, uploaded files, signing keys, TLS certificate and logs live here. Default <c>./data</c>.</summary>
    public string Path { get; set; } = "data";

    /// <summary>The absolute data folder.</summary>
    public string FullPath => System.IO.Path.GetFullPath(Path);

    /// <summary>A path under the data folder; absolute paths are kept as given.</summary>
    public string Resolve(string relative) => System.IO.Path.GetFullPath(relative, FullPath);
}
