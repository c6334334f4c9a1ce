using System.Text.Json.Nodes;

namespace Switchboard.Channels;

/// <summary>A provider's successful HTTP answer: its status and its body parsed as JSON (null when empty or not JSON).</summary>
public sealed record ProviderResponse(int StatusCode, JsonNode? Body);
