using System.Diagnostics.Metrics;
using System.Reflection;

namespace Switchboard.Operations;

/// <summary>
/// The one <c>Switchboard</c> meter. Features create their instruments on <see cref="Meter"/> once
/// (in their constructor) and the server exports everything on it at <c>/metrics</c>.
/// Name instruments <c>switchboard.&lt;feature&gt;.&lt;what&gt;</c> with a unit, e.g.
/// <c>Meter.CreateCounter&lt;long&gt;("switchboard.broker.published", "{message}")</c>.
/// </summary>
public sealed class SwitchboardMetrics
{
    public const string MeterName = "Switchboard";

    public SwitchboardMetrics(IMeterFactory meterFactory)
    {
        // Created through the factory so each host (and each test server) owns and disposes its own meter.
        Meter = meterFactory.Create(new MeterOptions(MeterName) { Version = Version });
    }

    public Meter Meter { get; }

    /// <summary>The product version without the source-control suffix.</summary>
    public static string Version { get; } = ReadVersion();

    private static string ReadVersion()
    {
        var informational = typeof(SwitchboardMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return typeof(SwitchboardMetrics).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
