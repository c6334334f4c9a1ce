namespace Switchboard.Cli;

/// <summary>
/// Where a command reads and writes. Commands never touch <see cref="Console"/> directly so tests can run the real
/// command in-process with their own streams, environment and password prompt.
/// </summary>
internal sealed class CliConsole
{
    /// <summary>Results only; scripts capture this (<c>TOKEN=$(switchboard token …)</c>).</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Errors, hints and prompts.</summary>
    public required TextWriter Error { get; init; }

    public required TextReader In { get; init; }

    /// <summary>Whether <see cref="In"/> is a pipe or file rather than a terminal.</summary>
    public bool IsInputRedirected { get; init; }

    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Asks for a secret without echoing it; null when there is no terminal to ask on.</summary>
    public Func<string, string?>? PromptSecret { get; init; }

    public static CliConsole System { get; } = new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        IsInputRedirected = Console.IsInputRedirected,
        PromptSecret = Console.IsInputRedirected ? null : ReadSecretFromTerminal,
    };

    private static string? ReadSecretFromTerminal(string prompt)
    {
        Console.Error.Write(prompt);
        var secret = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0)
                {
                    secret.Length--;
                }
                continue;
            }
            if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }
        Console.Error.WriteLine();
        return secret.ToString();
    }
}
