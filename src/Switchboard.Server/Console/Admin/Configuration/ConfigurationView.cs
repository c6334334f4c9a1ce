namespace Switchboard.Server.WebConsole.Admin.Configuration;

/// <summary>
/// Reads the settings of Switchboard's own sections (not the whole process environment) and redacts every value
/// whose key names a secret, a credential or a connection string.
/// </summary>
internal static class ConfigurationView
{
    public const string Redacted = "••••••";

    private static readonly string[] Sections = ["Broker", "Channels", "Chat", "Data", "Files", "Http", "Identity", "Kv", "Logging", "Operations", "Storage", "Tls", "Urls"];

    private static readonly string[] SecretWords =
        ["password", "secret", "token", "connectionstring", "credential", "apikey", "privatekey", "accesskey", "signingkey", "webhookurl", "authorization", "cookie"];

    public static IReadOnlyList<KeyValuePair<string, string>> Read(IConfiguration configuration) => configuration.AsEnumerable()
        .Where(setting => setting.Value is not null && Sections.Any(section => setting.Key.Equals(section, StringComparison.OrdinalIgnoreCase)
            || setting.Key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase)))
        .Select(setting => KeyValuePair.Create(setting.Key, IsSecret(setting.Key) ? Redacted : setting.Value!))
        .OrderBy(setting => setting.Key, StringComparer.OrdinalIgnoreCase)
        .ToArray();

    /// <summary>Any segment of the key naming a secret; a URL with credentials in it (Slack, Discord webhooks) counts too.</summary>
    internal static bool IsSecret(string key)
    {
        var flat = key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return SecretWords.Any(word => flat.Contains(word, StringComparison.OrdinalIgnoreCase))
            || flat.EndsWith("key", StringComparison.OrdinalIgnoreCase) && !flat.EndsWith("dedupkey", StringComparison.OrdinalIgnoreCase);
    }
}
