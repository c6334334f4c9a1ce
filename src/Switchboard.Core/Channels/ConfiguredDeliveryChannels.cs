using Microsoft.Extensions.Configuration;

namespace Switchboard.Channels;

/// <summary>
/// The channel instances named in configuration: every child of <c>Channels:Instances</c> whose <c>Enabled</c> is not
/// <c>false</c>. Read on each call so a configuration reload takes effect.
/// </summary>
public sealed class ConfiguredDeliveryChannels(IConfiguration configuration) : IDeliveryChannels
{
    public const string Section = "Channels:Instances";

    public IReadOnlyList<string> Enabled => configuration.GetSection(Section).GetChildren()
        .Where(c => !string.Equals(c["Enabled"], "false", StringComparison.OrdinalIgnoreCase))
        .Select(c => c.Key)
        .Order(StringComparer.Ordinal)
        .ToArray();

    public bool IsEnabled(string name) => Enabled.Contains(name, StringComparer.Ordinal);
}
