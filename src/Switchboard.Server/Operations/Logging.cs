using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Switchboard.Hosting;

namespace Switchboard.Server.Operations;

/// <summary>
/// Structured JSON logs (one compact JSON object per line, <c>@tr</c> is the trace id) to a daily rolling file under
/// <c>&lt;data&gt;/logs</c> and to standard output, where an interactive terminal gets readable lines instead. Levels come from <c>Logging:LogLevel</c> like any
/// .NET app, then from a <c>Serilog</c> section if present. One request line per request; never headers or bodies.
/// </summary>
internal static class Logging
{
    public const string LogFolder = "logs";
    public const string FileNamePattern = "switchboard-.json";

    public static WebApplicationBuilder AddSwitchboardLogging(this WebApplicationBuilder builder)
    {
        // preserveStaticLogger: every host (and every test server in one process) owns its own pipeline.
        builder.Services.AddSerilog((services, logger) => Configure(
            logger,
            services.GetRequiredService<IConfiguration>(),
            services.GetRequiredService<IOptions<DataOptions>>().Value,
            services.GetRequiredService<IOptions<OperationsOptions>>().Value.Logs), preserveStaticLogger: true);
        return builder;
    }

    internal static void Configure(LoggerConfiguration logger, IConfiguration configuration, DataOptions data, OperationsLogOptions logs)
    {
        ApplyLevels(logger, configuration.GetSection("Logging:LogLevel"));
        logger.ReadFrom.Configuration(configuration);
        logger.Enrich.FromLogContext();
        var formatter = new RenderedCompactJsonFormatter();
        if (logs.Console && ConsoleFormats.IsText(logs.ConsoleFormat, System.Console.IsOutputRedirected))
        {
            logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}");
        }
        else if (logs.Console)
        {
            logger.WriteTo.Console(formatter);
        }
        if (logs.File)
        {
            logger.WriteTo.File(
                formatter,
                Path.Combine(data.Resolve(LogFolder), FileNamePattern),
                fileSizeLimitBytes: logs.FileSizeLimitBytes,
                rollingInterval: RollingInterval.Day,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: logs.RetainedFiles,
                buffered: true,
                flushToDiskInterval: TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Maps <c>Logging:LogLevel</c> (Default and per-category) onto Serilog's minimum levels.</summary>
    internal static void ApplyLevels(LoggerConfiguration logger, IConfigurationSection levels)
    {
        logger.MinimumLevel.Is(Parse(levels["Default"]) ?? LogEventLevel.Information);
        // The request line below replaces the framework's own per-request chatter.
        logger.MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning);
        foreach (var category in levels.GetChildren())
        {
            if (category.Key != "Default" && Parse(category.Value) is { } level)
            {
                logger.MinimumLevel.Override(category.Key, level);
            }
        }
    }

    private static LogEventLevel? Parse(string? level) => level?.Trim().ToLowerInvariant() switch
    {
        "trace" or "verbose" => LogEventLevel.Verbose,
        "debug" => LogEventLevel.Debug,
        "information" or "info" => LogEventLevel.Information,
        "warning" or "warn" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        "critical" or "fatal" or "none" => LogEventLevel.Fatal,
        _ => null,
    };

    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod:l} {RequestPath:l} responded {StatusCode} in {Elapsed:0.0} ms";
            // Never the query string: it may carry an access token (WebSocket and SSE clients).
            options.IncludeQueryInRequestPath = false;
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : IsProbe(context.Request.Path) ? LogEventLevel.Debug
                : LogEventLevel.Information;
        });
        return app;
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments(OperationsRegistration.MetricsPath);
}
