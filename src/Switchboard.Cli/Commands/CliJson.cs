using System.Text.Json;

namespace Switchboard.Cli.Commands;

/// <summary>The JSON the commands print with <c>--json</c>: camelCase like the API.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
