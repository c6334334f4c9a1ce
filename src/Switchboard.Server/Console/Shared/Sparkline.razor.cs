using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace Switchboard.Server.WebConsole.Shared;

/// <summary>A small SVG line of recent values, scaled to its own maximum; drawn on the server, no script.</summary>
public sealed partial class Sparkline
{
    [Parameter, EditorRequired]
    public IReadOnlyList<double> Values { get; set; } = [];

    /// <summary>What the line shows, for screen readers.</summary>
    [Parameter, EditorRequired]
    public string Label { get; set; } = "";

    [Parameter]
    public int Width { get; set; } = 120;

    [Parameter]
    public int Height { get; set; } = 28;

    private string Points()
    {
        var max = Math.Max(Values.Max(), 1e-9);
        var step = (double)Width / (Values.Count - 1);
        var points = new StringBuilder();
        for (var i = 0; i < Values.Count; i++)
        {
            var y = Height - 1 - (Values[i] / max * (Height - 2));
            points.Append(CultureInfo.InvariantCulture, $"{i * step:0.#},{y:0.#} ");
        }
        return points.ToString();
    }
}
