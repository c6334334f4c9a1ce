namespace Switchboard.Cli.Commands;

/// <summary>The one way list commands print a table: columns two spaces apart, each as wide as its widest cell.</summary>
internal static class CliTable
{
    /// <param name="rightAlignFrom">Columns from this index on are right-aligned (counts); earlier ones left-aligned.</param>
    public static async Task WriteAsync(TextWriter output, string[] header, IEnumerable<string[]> rows, int rightAlignFrom = int.MaxValue)
    {
        var all = rows.Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            await output.WriteLineAsync(string.Join("  ", row.Select((cell, i) => i < rightAlignFrom ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd());
        }
    }
}
