using Microsoft.Extensions.Options;

namespace Switchboard.Monitoring;

/// <summary>Every alert rule in force: those stored through the API, those in <c>Monitoring:Rules</c>, and the default set.</summary>
public sealed class RuleCatalog(IMonitoringStore store, IOptionsMonitor<MonitoringOptions> options)
{
    public async Task<IReadOnlyList<AlertRule>> ListAsync(CancellationToken cancellationToken)
    {
        var stored = await store.ListRulesAsync(cancellationToken).ConfigureAwait(false);
        var all = new Dictionary<string, AlertRule>(StringComparer.Ordinal);
        foreach (var rule in options.CurrentValue.DefaultRules.Build())
        {
            all[rule.Id] = rule;
        }
        // A configured or stored rule with a default rule's id overrides it.
        foreach (var (id, rule) in options.CurrentValue.Rules)
        {
            all[rule.Id ?? id] = rule with { Id = rule.Id ?? id, Source = "config" };
        }
        foreach (var rule in stored)
        {
            all[rule.Id] = rule;
        }
        return all.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The escalation levels of <paramref name="rule"/>: its own routes, else the severity's in <c>Monitoring:Routes</c>.</summary>
    public IReadOnlyList<string> RoutesFor(AlertRule rule) => rule.Routes.Count > 0 ? rule.Routes : RoutesFor(rule.Severity);

    public IReadOnlyList<string> RoutesFor(string severity) =>
        options.CurrentValue.Routes.TryGetValue(severity, out var routes) ? routes : [];
}
