using Microsoft.Extensions.Options;
using Switchboard.Operations;
using Switchboard.Storage;

namespace Switchboard.Server.Cluster;

internal static class ClusterRegistration
{
    /// <summary>Registers this node in the node registry when <c>Cluster:Register</c> (default: with PostgreSQL) is on.</summary>
    public static WebApplicationBuilder AddCluster(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>();
        var register = builder.Configuration.GetValue<bool?>($"{ClusterOptions.Section}:{nameof(ClusterOptions.Register)}")
            ?? string.Equals(builder.Configuration[$"{StorageOptions.Section}:Engine"], StorageEngines.Postgres, StringComparison.Ordinal);
        if (register)
        {
            services.AddSingleton<NodeHeartbeat>();
            services.AddHostedService(sp => sp.GetRequiredService<NodeHeartbeat>());
            services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<NodeHeartbeat>());
        }
        return builder;
    }
}
