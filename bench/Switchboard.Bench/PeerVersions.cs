namespace Switchboard.Bench;

/// The versions.txt that bench/peers.sh writes: one `name=version (mode)` line per peer it started.
internal static class PeerVersions
{
    public static Dictionary<string, string> Read(string peersDirectory)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        var file = Path.Combine(peersDirectory, "versions.txt");
        if (File.Exists(file))
        {
            foreach (var line in File.ReadAllLines(file).Where(l => l.Contains('=', StringComparison.Ordinal)))
            {
                versions[line[..line.IndexOf('=', StringComparison.Ordinal)]] = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..];
            }
        }
        return versions;
    }
}
