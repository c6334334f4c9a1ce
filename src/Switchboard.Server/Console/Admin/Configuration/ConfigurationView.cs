namespace Switchboard.Server.WebConsole.Admin.Configuration;

/// <summary>
/// Reads the settings of Switchboard's own sections (not the whole process environment) and redacts every value
/// whose key names a secret, a credential or a connection string.
/// </summary>
internal static class ConfigurationView
{
    public const string Redacted = "••••••";

    private static readonly string[] Sections = ["Broker", "Channels", "Chat", "Data", "Files", "Http", "Identity", "Kv", "Logging", "Operations", "Storage", "Tls", "Urls"];

    /// <summary>A setting whose last key segment contains one of these holds a secret.</summary>
    private static readonly string[] SecretWords = ["password", "secret", "connectionstring", "credential", "privatekey"];

    /// <summary>A setting whose last key segment ends with one of these holds a secret (<c>BotToken</c>, <c>ApiKey</c>, a webhook URL).</summary>
    private static readonly string[] SecretEndings = ["token", "key", "webhookurl"];

    public static IReadOnlyList<KeyValuePair<string, string>> Read(IConfiguration configuration) => configuration.AsEnumerable()
        .Where(setting => setting.Value is not null && Sections.Any(section => setting.Key.Equals(section, StringComparison.OrdinalIgnoreCase)
            || setting.Key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase)))
        .Select(setting => KeyValuePair.Create(setting.Key, IsSecret(setting.Key) ? Redacted : setting.Value!))
        .OrderBy(setting => setting.Key, StringComparer.OrdinalIgnoreCase)
        .ToArray();

    /// <summary>The key's last segment names a secret; a webhook URL with its credentials in it (Slack, Discord) counts too.</summary>
    internal static bool IsSecret(string key)
    {
        var name = key[(key.LastIndexOf(':') + 1)..].Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return SecretWords.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase))
            || SecretEndings.Any(ending => name.EndsWith(ending, StringComparison.OrdinalIgnoreCase)) && !name.EndsWith("dedupkey", StringComparison.OrdinalIgnoreCase);
    }
}
