using System.Globalization;
using Switchboard.Errors;

namespace Switchboard.Monitoring;

/// <summary>Durations in query strings: <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>7d</c> or plain seconds.</summary>
public static class MonitoringDurations
{
    public static TimeSpan Parse(string text, string field, TimeSpan max)
    {
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsLetter(unit) && text.Length > 0 && char.IsLetter(text[^1]) ? text[..^1] : text;
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value))
        {
            TimeSpan? span = unit switch
            {
                's' => TimeSpan.FromSeconds(value),
                'm' => TimeSpan.FromMinutes(value),
                'h' => TimeSpan.FromHours(value),
                'd' => TimeSpan.FromDays(value),
                _ => null,
            };
            if (span is { } s && s <= max)
            {
                return s;
            }
        }
        throw SwitchboardException.Validation(field, $"{field} must be a duration such as 30s, 5m, 1h or 7d, at most {max.TotalDays:0.##} days.");
    }
}
