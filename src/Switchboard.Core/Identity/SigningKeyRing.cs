using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

using Switchboard.Hosting;
using Switchboard.Operations;

namespace Switchboard.Identity;

/// <summary>
/// The ES256 signing keys in <c>&lt;data&gt;/keys/</c>, one JSON file per key (mode 0600). The newest key
/// signs; an older key retires when the next one is created and stays valid for validation until every
/// token it signed has expired (retired + <c>retention</c>), then its file is deleted.
/// <see cref="Rotate"/> only adds a file, so it is safe while a server runs: the server notices the
/// folder changed (checked at most every two seconds) and reloads without a restart.
/// </summary>
public sealed partial class SigningKeyRing
{
    public const string FolderName = "keys";
    private const string Extension = ".key.json";
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(2);

    private readonly string _folder;
    private readonly TimeSpan _retention;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private IReadOnlyList<SigningKey> _keys = [];
    private string _signature = "";
    private long _checkedAt = long.MinValue;

    /// <param name="retention">How long a retired key still validates: the access-token lifetime plus clock skew.</param>
    public SigningKeyRing(string dataFolderPath, TimeSpan retention, TimeProvider time, ILogger<SigningKeyRing> logger)
    {
        _folder = Path.Combine(dataFolderPath, FolderName);
        _retention = retention;
        _time = time;
        _logger = logger;
    }

    /// <summary>The key that signs new tokens.</summary>
    public SigningKey Current => Keys[^1];

    /// <summary>Every key that still validates, oldest first; the last one signs.</summary>
    public IReadOnlyList<SigningKey> Keys
    {
        get
        {
            Refresh(force: false);
            return _keys.Count > 0 ? _keys : throw new InvalidOperationException($"No signing key in '{_folder}'; the server creates one at start-up.");
        }
    }

    /// <summary>Creates the first key when the folder has none, and loads the ring.</summary>
    public void EnsureCreated()
    {
        lock (_gate)
        {
            if (ReadFiles().Count == 0)
            {
                var kid = CreateKey(_folder, _time.GetUtcNow());
                LogKeyCreated(_logger, kid, _folder);
            }
        }
        Refresh(force: true);
    }

    /// <summary>Adds a new signing key to the ring under <paramref name="dataFolderPath"/>; returns its key id.</summary>
    /// <remarks>Older keys stay for validation; a running server picks the new key up within seconds.</remarks>
    public static string Rotate(string dataFolderPath) =>
        CreateKey(Path.Combine(dataFolderPath, FolderName), TimeProvider.System.GetUtcNow());

    /// <summary>Re-reads the folder when its files changed (at most every two seconds unless forced).</summary>
    internal void Refresh(bool force)
    {
        var tick = Environment.TickCount64;
        if (!force && tick - Volatile.Read(ref _checkedAt) < (long)RecheckInterval.TotalMilliseconds)
        {
            return;
        }
        lock (_gate)
        {
            if (!force && tick - _checkedAt < (long)RecheckInterval.TotalMilliseconds)
            {
                return;
            }
            var files = ReadFiles();
            var signature = string.Join('|', files.Select(f => f.Name + ":" + f.LastWriteTimeUtc.Ticks + ":" + f.Length));
            var now = _time.GetUtcNow();
            if (signature != _signature || HasExpiredKey(now))
            {
                _keys = Load(files, now);
                _signature = signature;
            }
            Volatile.Write(ref _checkedAt, tick);
        }
    }

    private bool HasExpiredKey(DateTimeOffset now) => _keys.Any(k => k.RetiredAt is { } retired && retired + _retention < now);

    private List<FileInfo> ReadFiles()
    {
        var folder = new DirectoryInfo(_folder);
        return folder.Exists ? [.. folder.GetFiles("*" + Extension).OrderBy(f => f.Name, StringComparer.Ordinal)] : [];
    }

    private List<SigningKey> Load(List<FileInfo> files, DateTimeOffset now)
    {
        var keys = new List<(SigningKey Key, FileInfo File)>();
        foreach (var file in files)
        {
            try
            {
                keys.Add((Read(file.FullName), file));
            }
            catch (Exception ex) when (ex is IOException or JsonException or CryptographicException or FormatException or UnauthorizedAccessException)
            {
                LogKeyUnreadable(_logger, ex, file.FullName);
            }
        }
        keys.Sort((a, b) => a.Key.CreatedAt != b.Key.CreatedAt
            ? a.Key.CreatedAt.CompareTo(b.Key.CreatedAt)
            : string.CompareOrdinal(a.Key.Kid, b.Key.Kid));
        var valid = new List<SigningKey>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            var (key, file) = keys[i];
            if (i < keys.Count - 1)
            {
                key.RetiredAt = keys[i + 1].Key.CreatedAt;
                if (key.RetiredAt + _retention < now)
                {
                    TryDelete(file);
                    continue;
                }
            }
            valid.Add(key);
        }
        return valid;
    }

    private void TryDelete(FileInfo file)
    {
        try
        {
            file.Delete();
            LogKeyPruned(_logger, file.Name);
        }
        catch (IOException ex)
        {
            LogKeyUnreadable(_logger, ex, file.FullName);
        }
    }

    private static SigningKey Read(string path)
    {
        var stored = JsonSerializer.Deserialize(File.ReadAllBytes(path), KeyFileJson.Default.KeyFile)
            ?? throw new FormatException($"'{path}' is empty.");
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(stored.PrivateKey), out _);
        var publicKey = ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: false));
        return new SigningKey(
            stored.Kid,
            stored.CreatedAt,
            new ECDsaSecurityKey(ecdsa) { KeyId = stored.Kid },
            new ECDsaSecurityKey(publicKey) { KeyId = stored.Kid });
    }

    private static string CreateKey(string folder, DateTimeOffset now)
    {
        PrivateFile.CreateFolder(folder);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = Secrets.Random(12);
        var stored = new KeyFile(kid, now, Convert.ToBase64String(ecdsa.ExportPkcs8PrivateKey()));
        var bytes = JsonSerializer.SerializeToUtf8Bytes(stored, KeyFileJson.Default.KeyFile);
        // Sortable names; the temporary file PrivateFile writes first does not end in the key extension.
        var name = $"{now.UtcDateTime:yyyyMMddHHmmssfffffff}-{kid}";
        PrivateFile.Write(Path.Combine(folder, name + Extension), bytes);
        return kid;
    }

    internal sealed record KeyFile(string Kid, DateTimeOffset CreatedAt, string PrivateKey);

    [LoggerMessage(EventId = EventIds.Identity.KeyCreated, Level = LogLevel.Information, Message = "Created signing key {Kid} in {Folder}")]
    private static partial void LogKeyCreated(ILogger logger, string kid, string folder);

    [LoggerMessage(EventId = EventIds.Identity.KeyPruned, Level = LogLevel.Information, Message = "Deleted expired signing key file {File}")]
    private static partial void LogKeyPruned(ILogger logger, string file);

    [LoggerMessage(EventId = EventIds.Identity.KeyUnreadable, Level = LogLevel.Error, Message = "Signing key file {Path} cannot be read; it is ignored")]
    private static partial void LogKeyUnreadable(ILogger logger, Exception exception, string path);
}
