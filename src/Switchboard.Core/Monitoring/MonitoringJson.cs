using System.Text.Json;

namespace Switchboard.Monitoring;

/// <summary>How the engines store monitor, rule, incident and silence definitions as JSON.</summary>
public static class MonitoringJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;
}
