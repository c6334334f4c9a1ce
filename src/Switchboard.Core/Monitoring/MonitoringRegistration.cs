using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Switchboard.Monitoring;

public static class MonitoringRegistration
{
    /// <summary>
    /// Monitoring and alerting: options, probes, the scheduler, the evaluator and the services. Each engine registers
    /// its <see cref="IMonitoringStore"/> (and PostgreSQL its <see cref="IMonitoringLeader"/>; one node always leads
    /// otherwise). Needs the channels feature (the notifier, the outbound address guard) and the broker.
    /// </summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services)
    {
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MonitoringOptions>, MonitoringOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMonitoringLeader, SingleNodeLeader>();
        services.AddSingleton<IMonitorProbe, HttpProbe>();
        services.AddSingleton<IMonitorProbe, TcpProbe>();
        services.AddSingleton<IMonitorProbe, TlsProbe>();
        services.AddSingleton<IMonitorProbe, DnsProbe>();
        services.AddSingleton<IMonitorProbe, HeartbeatProbe>();
        services.AddSingleton<IMonitorProbe, InternalProbe>();
        services.AddSingleton<MonitorScheduler>();
        services.AddSingleton<RuleCatalog>();
        services.AddSingleton<IncidentNotifier>();
        services.AddSingleton<AlertEvaluator>();
        services.AddSingleton<MonitoringMaintenance>();
        services.AddSingleton<MonitorService>();
        services.AddSingleton<AlertRuleService>();
        services.AddSingleton<IncidentService>();
        services.AddHostedService<MonitoringRunner>();
        return services;
    }
}
