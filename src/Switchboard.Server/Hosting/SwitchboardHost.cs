using Microsoft.Extensions.Options;
using Switchboard.Server.Broker;
using Switchboard.Server.Chat;
using Switchboard.Server.Cluster;
using Switchboard.Server.Files;
using Switchboard.Server.Channels;
using Switchboard.Server.GraphQL;
using Switchboard.Server.Identity;
using Switchboard.Monitoring;
using Switchboard.Server.Kv;
using Switchboard.Server.Monitoring;
using Switchboard.Server.Notifications;
using Switchboard.Server.Operations;
using Switchboard.Server.Platform;
using Switchboard.Server.Storage;
using Switchboard.Server.WebConsole;

namespace Switchboard.Server.Hosting;

/// <summary>
/// Builds the Switchboard web application. The `switchboard serve` command and the integration tests
/// both start the server through here, so what the tests exercise is what users run.
/// </summary>
public static class SwitchboardHost
{
    /// <param name="args">Command-line style settings (<c>--Key=value</c>), applied last.</param>
    /// <param name="configure">Extra configuration for tests or embedding, applied before services are built.</param>
    /// <param name="mapExtra">Extra endpoints for tests or embedding, mapped after the features.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? mapExtra = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = Directory.GetCurrentDirectory(),
            EnvironmentName = SwitchboardConfiguration.EnvironmentFrom(args),
        });
        SwitchboardConfiguration.AddSources(builder.Configuration, builder.Environment.EnvironmentName, args);
        configure?.Invoke(builder);
        var unreadable = ConfigurationBindingCheck.Check(builder.Configuration);
        if (unreadable.Count > 0)
        {
            // Without the values that cannot be read the rest still binds, so validation below reports every other problem too.
            builder.Configuration.AddInMemoryCollection(unreadable.Select(f => KeyValuePair.Create(f.Key, (string?)null)));
        }

        builder.AddHosting();
        builder.AddPlatform();
        builder.AddOperations();
        builder.AddStorage();
        builder.AddCluster();
        builder.AddIdentityFeature();
        builder.AddKv();
        builder.AddBroker();
        builder.AddFiles();
        builder.AddChat();
        builder.AddChannels();
        builder.Services.AddMonitoring();
        builder.AddConsole();

        var app = builder.Build();
        ValidateConfiguration(app, unreadable);

        app.UseTrustedForwardedHeaders();
        app.UseOperations();
        app.UsePlatform();
        app.MapPlatform();
        app.MapOperations();
        app.MapIdentityFeature();
        app.MapKvApi();
        app.MapBrokerApi();
        app.MapFilesApi();
        app.MapChatApi();
        app.MapChannelsApi();
        app.MapNotificationsApi();
        app.MapMonitoringApi();
        app.MapGraphQLApi();
        app.MapConsole();
        mapExtra?.Invoke(app);
        return app;
    }

    /// <summary>
    /// Runs every options validation now, before anything reads an option (endpoint mapping does) or opens storage,
    /// and throws one <see cref="OptionsValidationException"/> listing every problem of every section.
    /// </summary>
    private static void ValidateConfiguration(WebApplication app, IReadOnlyList<(string Key, string Message)> unreadable)
    {
        var failures = unreadable.Select(f => f.Message).ToList();
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            failures.AddRange(ex.Failures);
        }
        catch (AggregateException ex)
        {
            failures.AddRange(ex.Flatten().InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures));
            if (failures.Count == unreadable.Count)
            {
                throw;
            }
        }
        // An unreadable value binds as its type's default, which its validator may refuse too; one line per key is enough.
        failures.RemoveAll(f => unreadable.Any(u => f.StartsWith(u.Key + ": ", StringComparison.OrdinalIgnoreCase) && f != u.Message));
        if (failures.Count > 0)
        {
            ((IDisposable)app).Dispose();
            throw new OptionsValidationException("Switchboard", typeof(WebApplication), failures);
        }
    }
}
