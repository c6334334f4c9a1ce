using System.CommandLine;
using Switchboard.Client;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard token</c>: logs in and prints only the access token, for scripts
/// (<c>TOKEN=$(switchboard token --username admin)</c>). Everything else goes to stderr.
/// </summary>
internal sealed class TokenCommand : Command
{
    public const string PasswordVariable = "SWITCHBOARD_PASSWORD";
    public const string UrlVariable = "SWITCHBOARD_URL";
    public const string DefaultUrl = "http://127.0.0.1:8080";

    private readonly CliConsole _console;

    private readonly Option<string?> _url = new("--url")
    {
        Description = $"The server. Default ${UrlVariable}, else {DefaultUrl}.",
        HelpName = "url",
    };

    private readonly Option<string> _username = new("--username", "-u")
    {
        Description = "The account to log in as.",
        DefaultValueFactory = _ => "admin",
    };

    private readonly Option<string?> _password = new("--password", "-p")
    {
        Description = $"The password. Safer: ${PasswordVariable}, or pipe it on stdin; otherwise you are asked for it.",
    };

    private readonly Option<bool> _insecure = new("--insecure", "-k")
    {
        Description = "Accept any TLS certificate (a local server's self-signed one). Never across a network you do not trust.",
    };

    public TokenCommand(CliConsole console)
        : base("token", "Log in and print an access token on stdout.")
    {
        _console = console;
        Options.Add(_url);
        Options.Add(_username);
        Options.Add(_password);
        Options.Add(_insecure);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var urlText = parseResult.GetValue(_url) ?? _console.GetEnvironmentVariable(UrlVariable) ?? DefaultUrl;
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            await _console.Error.WriteLineAsync($"error: --url '{urlText}' is not an http:// or https:// URL, e.g. {DefaultUrl}.");
            return ExitCodes.InvalidUsage;
        }
        var username = parseResult.GetValue(_username)!;
        var password = await ReadPasswordAsync(parseResult, username);
        if (string.IsNullOrEmpty(password))
        {
            await _console.Error.WriteLineAsync($"error: no password for '{username}'.");
            await _console.Error.WriteLineAsync($"Set {PasswordVariable}, pipe it on stdin (echo \"$PW\" | switchboard token …), or run in a terminal to be asked.");
            return ExitCodes.InvalidUsage;
        }

        using var handler = new SocketsHttpHandler();
        if (parseResult.GetValue(_insecure))
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        using var client = new SwitchboardClient(http);
        try
        {
            var tokens = await client.LoginAsync(username, password, cancellationToken);
            await _console.Out.WriteLineAsync(tokens.AccessToken);
            return ExitCodes.Ok;
        }
        catch (SwitchboardApiException problem)
        {
            return ApiErrors.Report(_console.Error, problem, url);
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return ApiErrors.ReportUnreachable(_console.Error, ex, url);
        }
    }

    /// <summary>--password, then the environment, then stdin when piped, then a prompt.</summary>
    private async Task<string?> ReadPasswordAsync(ParseResult parseResult, string username)
    {
        if (parseResult.GetValue(_password) is { Length: > 0 } given)
        {
            return given;
        }
        if (_console.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }
        if (_console.IsInputRedirected)
        {
            return (await _console.In.ReadLineAsync())?.TrimEnd('\r', '\n');
        }
        return _console.PromptSecret?.Invoke($"Password for {username}: ");
    }
}
