namespace Switchboard.Client;

/// <summary>The answer of <c>/healthz</c> or <c>/readyz</c>.</summary>
/// <param name="Status"><c>alive</c>, <c>ready</c> or <c>unavailable</c>.</param>
/// <param name="Checks">Each dependency checked and its state, e.g. <c>storage:sqlite</c> → <c>ok</c>.</param>
public sealed record HealthReport(string Status, IReadOnlyDictionary<string, string> Checks)
{
    /// <summary>Whether the server reported itself alive or ready.</summary>
    public bool IsHealthy => Status is "alive" or "ready";
}
