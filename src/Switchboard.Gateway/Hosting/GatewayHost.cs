using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Switchboard.Gateway.Edge;
using Switchboard.Gateway.Health;
using Switchboard.Gateway.Observability;
using Switchboard.Gateway.Routing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// Builds the gateway: YARP in front of the nodes, with discovery, health, retries, limits and logs around it.
/// `switchboard gateway` and the tests both start it through here.
/// </summary>
public static class GatewayHost
{
    public const string DefaultUrl = "http://127.0.0.1:8000";
    public const string MetricsPath = "/metrics";

    /// <param name="args">Command-line style settings (<c>--Key=value</c>).</param>
    /// <param name="addSources">Adds the configuration sources (files, environment, flags), the same as a node's.</param>
    /// <param name="configure">Extra configuration for tests, applied before services are built.</param>
    public static WebApplication Build(string[] args, Action<IConfigurationManager, string> addSources, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
        addSources(builder.Configuration, builder.Environment.EnvironmentName);
        configure?.Invoke(builder);
        if (string.IsNullOrWhiteSpace(builder.Configuration["Urls"]))
        {
            builder.Configuration["Urls"] = DefaultUrl;
        }
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(json => json.UseUtcTimestamp = true);

        var services = builder.Services;
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section)
            .PostConfigure<IConfiguration>((options, configuration) =>
                options.Discovery.ConnectionString ??= configuration["Storage:Postgres:ConnectionString"])
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>().Configure<IOptions<GatewayOptions>>((kestrel, gateway) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = gateway.Value.MaxRequestBodyBytes;
        });

        services.AddSingleton<GatewayConfigProvider>();
        services.AddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<GatewayConfigProvider>());
        services.AddSingleton<NodeDiscovery>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeDiscovery>());
        services.AddSingleton<FailuresAndErrorsPolicy>();
        services.AddSingleton<IPassiveHealthCheckPolicy>(sp => sp.GetRequiredService<FailuresAndErrorsPolicy>());
        services.AddSingleton<LatencyTracker>();
        services.AddSingleton<ILoadBalancingPolicy, FallbackChainPolicy>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<EdgeTokenValidator>();
        services.AddSingleton<GatewayMetrics>();
        services.AddHostedService<TraceActivities>();
        services.AddReverseProxy();
        // The default writer would put the whole activity id in traceId; ours is the trace id alone, as a node's.
        services.AddProblemDetails(options => options.CustomizeProblemDetails = problem =>
            problem.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? problem.HttpContext.TraceIdentifier);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(GatewayMetrics.MeterName)
            .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));

        var app = builder.Build();
        app.UseMiddleware<AccessLog>();
        app.UseRouting();
        app.UseMiddleware<RequestSizeLimit>();
        app.UseMiddleware<EdgeAuthentication>();
        app.UseMiddleware<EdgeRateLimiter>();
        app.MapGatewayApi();
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<RetryOnOtherDestination>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
