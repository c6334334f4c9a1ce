namespace Switchboard.Client;

/// <summary>A configured channel instance as the API shows it: never its secrets, only which ones are set.</summary>
/// <param name="Name">The instance name (<c>Channels:Instances:&lt;name&gt;</c>).</param>
/// <param name="Type">whatsapp, instagram, telegram, slack, discord, email or webhook.</param>
/// <param name="Enabled">Whether deliveries go through it now.</param>
/// <param name="Circuit">The circuit breaker: closed, open, half-open or isolated.</param>
/// <param name="Credentials">The credentials that are set, each masked.</param>
/// <param name="Routes">The routes (fallback chains) that list this instance.</param>
public sealed record ChannelInfo(string Name, string? Type, bool Enabled, string Circuit, IReadOnlyDictionary<string, string> Credentials,
    IReadOnlyList<string> Routes);
