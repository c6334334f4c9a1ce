using System.Text.Json.Serialization;

namespace Switchboard.Identity;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SigningKeyRing.KeyFile))]
internal sealed partial class KeyFileJson : JsonSerializerContext;
