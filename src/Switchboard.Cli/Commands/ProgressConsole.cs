using Spectre.Console;

namespace Switchboard.Cli.Commands;

/// <summary>Live progress goes to stderr so stdout stays clean for results; on a pipe Spectre falls back to plain lines.</summary>
internal static class ProgressConsole
{
    public static IAnsiConsole ForErrors(CliConsole console) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(console.Error),
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = InteractionSupport.Detect,
    });

    /// <summary>Messages per second, readable.</summary>
    public static string Rate(long count, TimeSpan elapsed) =>
        elapsed.TotalSeconds <= 0 ? "–" : (count / elapsed.TotalSeconds).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " msg/s";
}
