using Switchboard.Identity;

namespace Switchboard.Broker;

/// <summary>Binds a topic to a queue: messages whose subject matches <see cref="Pattern"/> and whose headers contain <see cref="Headers"/> are copied to <see cref="Queue"/>.</summary>
public sealed record Subscription(Guid Id, string Topic, string Queue, string Pattern, IReadOnlyDictionary<string, string> Headers, DateTimeOffset CreatedAt)
{
    public bool Matches(string subject, IReadOnlyDictionary<string, string>? headers)
    {
        if (!SubjectPattern.Matches(Pattern, subject))
        {
            return false;
        }
        foreach (var (key, value) in Headers)
        {
            if (headers is null || !headers.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}
