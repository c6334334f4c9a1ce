namespace Switchboard.Server.Operations;

/// <summary>The values of <c>Operations:Logs:ConsoleFormat</c>.</summary>
internal static class ConsoleFormats
{
    public const string Auto = "auto";
    public const string Json = "json";
    public const string Text = "text";

    public static readonly string[] All = [Auto, Json, Text];

    /// <summary>Whether standard output gets readable text rather than JSON lines.</summary>
    public static bool IsText(string format, bool outputRedirected) =>
        string.Equals(format, Text, StringComparison.OrdinalIgnoreCase)
        || (string.Equals(format, Auto, StringComparison.OrdinalIgnoreCase) && !outputRedirected);
}
