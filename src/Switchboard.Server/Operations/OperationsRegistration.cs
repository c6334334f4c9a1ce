using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Switchboard.Operations;
using Switchboard.Server.Identity;

namespace Switchboard.Server.Operations;

internal static class OperationsRegistration
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OperationsOptions>().BindConfiguration(OperationsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OperationsOptions>, OperationsOptionsValidator>();
        builder.AddSwitchboardLogging();

        services.AddOperations();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("switchboard", serviceVersion: SwitchboardMetrics.Version))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(SwitchboardMetrics.MeterName)
                // Every scrape sees current values; Prometheus scrapes every few seconds at most.
                .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    /// <summary>The request log line wraps everything else so it records the final status.</summary>
    public static WebApplication UseOperations(this WebApplication app)
    {
        app.UseRequestLogging();
        return app;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthApi();
        var metrics = app.MapPrometheusScrapingEndpoint(MetricsPath).DisableRateLimiting();
        if (app.Services.GetRequiredService<IOptions<OperationsOptions>>().Value.MetricsRequireAuth)
        {
            metrics.RequireAuthorization(new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.Identity?.IsAuthenticated == true
                    && context.Resource is HttpContext http && http.GetCaller().IsAdmin)
                .Build());
        }
        else
        {
            metrics.AllowAnonymous();
        }
        return app;
    }
}
