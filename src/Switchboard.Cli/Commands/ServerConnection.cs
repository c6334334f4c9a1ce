using System.CommandLine;
using Switchboard.Client;

namespace Switchboard.Cli.Commands;

/// <summary>
/// The options every command that talks to a server shares (<c>--url</c>, <c>--api-key</c>, <c>--username</c>, <c>--insecure</c>),
/// and the one place that turns them into a <see cref="SwitchboardClient"/> and its failures into messages and exit codes.
/// </summary>
internal sealed class ServerConnection
{
    public const string ApiKeyVariable = "SWITCHBOARD_API_KEY";

    private readonly CliConsole _console;

    private readonly Option<string?> _url = new("--url")
    {
        Description = $"The server. Default ${TokenCommand.UrlVariable}, else {TokenCommand.DefaultUrl}.",
        HelpName = "url",
    };

    private readonly Option<string?> _apiKey = new("--api-key")
    {
        Description = $"An API key (sb_…). Safer: ${ApiKeyVariable}.",
        HelpName = "key",
    };

    private readonly Option<string?> _username = new("--username", "-u")
    {
        Description = $"Log in as this account instead of using an API key; the password comes from ${TokenCommand.PasswordVariable}, stdin or a prompt.",
    };

    private readonly Option<bool> _insecure = new("--insecure", "-k")
    {
        Description = "Accept any TLS certificate (a local server's self-signed one). Never across a network you do not trust.",
    };

    public ServerConnection(CliConsole console, Command command)
    {
        _console = console;
        command.Options.Add(_url);
        command.Options.Add(_apiKey);
        command.Options.Add(_username);
        command.Options.Add(_insecure);
    }

    /// <summary>
    /// Resolves the server and credentials, runs <paramref name="action"/> with a client, and reports any failure with what to do next.
    /// </summary>
    /// <param name="queue">The queue the command works on, named in hints.</param>
    /// <param name="stdinIsBody">The command reads its input from stdin, so the password may not come from there.</param>
    public async Task<int> RunAsync(ParseResult parseResult, string? queue, bool stdinIsBody, Func<SwitchboardClient, Task<int>> action,
        CancellationToken cancellationToken)
    {
        var urlText = parseResult.GetValue(_url) ?? _console.GetEnvironmentVariable(TokenCommand.UrlVariable) ?? TokenCommand.DefaultUrl;
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            await _console.Error.WriteLineAsync($"error: --url '{urlText}' is not an http:// or https:// URL, e.g. {TokenCommand.DefaultUrl}.");
            return ExitCodes.InvalidUsage;
        }
        var credentials = await ReadCredentialsAsync(parseResult, stdinIsBody);
        if (credentials is null)
        {
            return ExitCodes.InvalidUsage;
        }

        using var handler = new SocketsHttpHandler();
        if (parseResult.GetValue(_insecure))
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        // Long polls wait up to 20 s on the server, so the timeout leaves room for them.
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        using var client = new SwitchboardClient(http, credentials);
        try
        {
            return await action(client);
        }
        catch (SwitchboardApiException problem)
        {
            return BrokerErrors.Report(_console.Error, problem, url, queue);
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return ApiErrors.ReportUnreachable(_console.Error, ex, url);
        }
    }

    /// <summary>An API key (flag, then environment), else a username with its password; null after explaining what is missing.</summary>
    private async Task<SwitchboardCredentials?> ReadCredentialsAsync(ParseResult parseResult, bool stdinIsBody)
    {
        var username = parseResult.GetValue(_username);
        var apiKey = parseResult.GetValue(_apiKey) ?? (username is null ? _console.GetEnvironmentVariable(ApiKeyVariable) : null);
        if (apiKey is { Length: > 0 })
        {
            return SwitchboardCredentials.FromApiKey(apiKey);
        }
        username ??= "admin";
        var password = _console.GetEnvironmentVariable(TokenCommand.PasswordVariable);
        if (string.IsNullOrEmpty(password) && _console.IsInputRedirected && !stdinIsBody)
        {
            password = (await _console.In.ReadLineAsync())?.TrimEnd('\r', '\n');
        }
        if (string.IsNullOrEmpty(password) && !_console.IsInputRedirected)
        {
            password = _console.PromptSecret?.Invoke($"Password for {username}: ");
        }
        if (string.IsNullOrEmpty(password))
        {
            await _console.Error.WriteLineAsync($"error: no credentials: no API key, and no password for '{username}'.");
            await _console.Error.WriteLineAsync($"Pass --api-key (or set {ApiKeyVariable}), or log in with --username and the password in {TokenCommand.PasswordVariable}" +
                (stdinIsBody ? " (stdin carries the message here)." : ", on stdin, or at the prompt."));
            return null;
        }
        return SwitchboardCredentials.FromPassword(username, password);
    }
}
