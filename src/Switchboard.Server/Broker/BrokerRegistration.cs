using Microsoft.Extensions.Options;
using Switchboard.Broker;

namespace Switchboard.Server.Broker;

internal static class BrokerRegistration
{
    /// <summary>Broker options and the transport-neutral <see cref="BrokerService"/>; the engine registers its <see cref="IBrokerStore"/>.</summary>
    public static WebApplicationBuilder AddBroker(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BrokerOptions>, BrokerOptionsValidator>();
        builder.Services.AddSingleton<BrokerMetrics>();
        builder.Services.AddSingleton<BrokerService>();
        builder.Services.AddSingleton<Switchboard.Events.SystemEventPublisher>();
        builder.Services.AddSingleton(sp => new BrokerActivity(
            sp, sp.GetRequiredService<BrokerMetrics>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BrokerActivity>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BrokerActivity>());
        builder.AddBrokerHub();
        return builder;
    }
}
