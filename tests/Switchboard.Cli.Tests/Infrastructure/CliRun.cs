using Switchboard.Cli;

namespace Switchboard.Cli.Tests.Infrastructure;

/// <summary>Runs the real <c>switchboard</c> command tree in this process with captured output.</summary>
public static class CliRun
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
    }

    /// <param name="stdin">Piped input; null runs as if on a terminal with nobody to answer a prompt.</param>
    /// <param name="environment">The only environment variables the command sees for its own lookups.</param>
    public static async Task<Result> InvokeAsync(string[] args, string? stdin = null, IDictionary<string, string>? environment = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole
        {
            Out = output,
            Error = error,
            In = new StringReader(stdin ?? ""),
            IsInputRedirected = stdin is not null,
            GetEnvironmentVariable = name => environment is not null && environment.TryGetValue(name, out var value) ? value : null,
            PromptSecret = null,
        };
        var exitCode = await SwitchboardCli.InvokeAsync(args, console).WaitAsync(TimeSpan.FromSeconds(60));
        return new Result(exitCode, output.ToString(), error.ToString());
    }
}
