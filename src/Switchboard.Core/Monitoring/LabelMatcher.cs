using System.Text.RegularExpressions;

namespace Switchboard.Monitoring;

/// <summary>Matches one label: <c>=</c>, <c>!=</c>, <c>=~</c> (regex, anchored) or <c>!~</c>, as in Alertmanager.</summary>
public sealed record LabelMatcher(string Name, string Operator, string Value)
{
    public static IReadOnlyList<string> Operators { get; } = ["=", "!=", "=~", "!~"];

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var actual = labels.TryGetValue(Name, out var v) ? v : "";
        return Operator switch
        {
            "=" => actual == Value,
            "!=" => actual != Value,
            "=~" => Regex.IsMatch(actual, $"^(?:{Value})$", RegexOptions.None, TimeSpan.FromMilliseconds(100)),
            "!~" => !Regex.IsMatch(actual, $"^(?:{Value})$", RegexOptions.None, TimeSpan.FromMilliseconds(100)),
            _ => false,
        };
    }

    public override string ToString() => $"{Name}{Operator}\"{Value}\"";
}
