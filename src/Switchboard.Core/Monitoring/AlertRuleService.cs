using Switchboard.Errors;
using Switchboard.Identity;

namespace Switchboard.Monitoring;

/// <summary>Alert rules over any transport. Listing shows every rule in force (stored, configured and default); only stored ones change.</summary>
public sealed class AlertRuleService(IMonitoringStore store, RuleCatalog catalog, TimeProvider time)
{
    public async Task<IReadOnlyList<AlertRule>> ListAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        caller.Demand(MonitorService.Area, MonitorService.Read);
        return await catalog.ListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<AlertRule> GetAsync(Caller caller, string id, CancellationToken cancellationToken = default)
    {
        caller.Demand(MonitorService.Area, MonitorService.Read);
        return (await catalog.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Id == id)
            ?? throw new SwitchboardException(ErrorCodes.AlertRuleNotFound, $"No alert rule '{id}' exists.");
    }

    /// <summary>Creates (<paramref name="replace"/> false: the id must be new) or replaces a rule; a stored rule may override a default one by its id.</summary>
    public async Task<(AlertRule Rule, bool Created)> SaveAsync(Caller caller, AlertRule rule, bool replace, CancellationToken cancellationToken = default)
    {
        caller.Demand(MonitorService.Area, MonitorService.Manage);
        var validation = new Validation();
        MonitoringValidation.Rule(validation, rule, "");
        validation.ThrowIfInvalid();
        var existing = (await catalog.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Id == rule.Id);
        if (existing?.Source == "config")
        {
            throw new SwitchboardException(ErrorCodes.DeclaredInConfiguration, $"The rule '{rule.Id}' is declared under Monitoring:Rules; change it there.");
        }
        if (existing?.Source == "api" && !replace)
        {
            throw new SwitchboardException(ErrorCodes.AlertRuleExists, $"An alert rule '{rule.Id}' already exists; PUT /v1/alert-rules/{rule.Id} replaces it.");
        }
        var now = time.GetUtcNow();
        var saved = rule with { Source = "api", CreatedAt = existing?.Source == "api" ? existing.CreatedAt : now, UpdatedAt = now };
        return (saved, await store.UpsertRuleAsync(saved, cancellationToken).ConfigureAwait(false));
    }

    public async Task DeleteAsync(Caller caller, string id, CancellationToken cancellationToken = default)
    {
        caller.Demand(MonitorService.Area, MonitorService.Manage);
        if (!await store.DeleteRuleAsync(id, cancellationToken).ConfigureAwait(false))
        {
            var known = (await catalog.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Id == id);
            throw known is null
                ? new SwitchboardException(ErrorCodes.AlertRuleNotFound, $"No alert rule '{id}' exists.")
                : new SwitchboardException(ErrorCodes.DeclaredInConfiguration,
                    $"The rule '{id}' comes from {(known.Source == "default" ? "the default rule set (Monitoring:DefaultRules)" : "Monitoring:Rules")}; change it there.");
        }
    }
}
