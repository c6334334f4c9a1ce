using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Server.Hosting;

namespace Switchboard.Cli.Commands;

/// <summary>
/// The flags shared by <c>serve</c> and <c>config check</c>. Each becomes a configuration key handed to the host,
/// so a flag, an <c>appsettings.json</c> entry and a <c>SWITCHBOARD_</c> variable are the same setting.
/// Any other setting can be given as <c>--Section:Key=value</c>.
/// </summary>
internal sealed class HostOptions
{
    public Option<string?> Urls { get; } = new("--urls")
    {
        Description = "Where to listen, ';'-separated (key Urls). Default http://127.0.0.1:8080, or https://127.0.0.1:8443 with --tls.",
        HelpName = "url;url",
    };

    public Option<string?> Data { get; } = new("--data")
    {
        Description = "The data folder: database, keys, certificate, logs (key Data:Path). Default ./data.",
        HelpName = "folder",
    };

    public Option<string?> Environment { get; } = new("--environment")
    {
        Description = "The environment; also reads appsettings.{environment}.json (key Environment). Default Production.",
        HelpName = "name",
    };

    public Option<string?> Engine { get; } = new("--engine")
    {
        Description = "The storage engine, sqlite or postgres (key Storage:Engine). Default sqlite.",
        HelpName = "sqlite|postgres",
    };

    public Option<bool> Tls { get; } = new("--tls")
    {
        Description = "Serve HTTPS, with Tls:CertificatePath or a self-signed certificate kept in <data>/tls (key Tls:Enabled).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Urls);
        command.Options.Add(Data);
        command.Options.Add(Environment);
        command.Options.Add(Engine);
        command.Options.Add(Tls);
        // Extra settings pass through as --Section:Key=value; they are checked in TryBuildArguments.
        command.TreatUnmatchedTokensAsErrors = false;
    }

    /// <summary>The host's command-line settings; false (with the reason written) when an extra argument is not a setting.</summary>
    public bool TryBuildArguments(ParseResult parseResult, TextWriter error, out string[] arguments)
    {
        var settings = new List<string>();
        Add(settings, "Urls", parseResult.GetValue(Urls));
        Add(settings, "Data:Path", parseResult.GetValue(Data));
        Add(settings, "Environment", parseResult.GetValue(Environment));
        Add(settings, "Storage:Engine", parseResult.GetValue(Engine));
        if (parseResult.GetValue(Tls))
        {
            settings.Add("--Tls:Enabled=true");
        }
        var ok = true;
        foreach (var token in parseResult.UnmatchedTokens)
        {
            if (IsSetting(token))
            {
                settings.Add(token);
                continue;
            }
            error.WriteLine($"error: '{token}' is not an option of this command.");
            ok = false;
        }
        if (!ok)
        {
            error.WriteLine($"Other settings go as --Section:Key=value (e.g. --Identity:AllowRegistration=false); run '{SwitchboardCli.CommandPath(parseResult)} --help' for the options.");
        }
        arguments = [.. settings];
        return ok;
    }

    /// <summary>
    /// Builds the application <c>serve</c> would build, from the same configuration sources, and runs its start-up
    /// validation without starting it. When something is wrong it reports every problem with its key and returns no
    /// application, only the exit code to end with.
    /// </summary>
    public async Task<(WebApplication? App, int ExitCode)> BuildValidatedAsync(ParseResult parseResult, TextWriter error)
    {
        if (!TryBuildArguments(parseResult, error, out var arguments))
        {
            return (null, ExitCodes.InvalidUsage);
        }
        WebApplication? app = null;
        try
        {
            app = SwitchboardHost.Build(arguments);
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            return (app, ExitCodes.Ok);
        }
        catch (Exception ex) when (ConfigurationErrors.TryRead(ex, out var failures))
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
            ConfigurationErrors.Report(error, failures);
            return (null, ExitCodes.InvalidConfiguration);
        }
    }

    private static void Add(List<string> settings, string key, string? value)
    {
        if (value is not null)
        {
            settings.Add($"--{key}={value}");
        }
    }

    /// <summary>A section key with a value, e.g. <c>--Identity:AllowRegistration=false</c>; top-level keys have their own flags.</summary>
    internal static bool IsSetting(string token)
    {
        if (!token.StartsWith("--", StringComparison.Ordinal))
        {
            return false;
        }
        var equals = token.IndexOf('=', StringComparison.Ordinal);
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        return equals > 2 && colon > 2 && colon < equals;
    }
}
