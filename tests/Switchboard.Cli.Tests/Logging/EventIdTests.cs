using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Switchboard.Cli.Tests.Logging;

public sealed class EventIdTests
{
    [Fact]
    public void Every_log_event_id_is_used_by_exactly_one_message_across_the_product()
    {
        // The command references every product assembly, so loading its closure sees every [LoggerMessage].
        var assemblies = new[] { "switchboard", "Switchboard.Server", "Switchboard.Core", "Switchboard.Sqlite", "Switchboard.Postgres" }
            .Select(name => Assembly.Load(name));
        var messages = assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToArray();

        var duplicates = messages.GroupBy(x => x.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Method))}").ToArray();

        Assert.True(messages.Length > 20, $"found only {messages.Length} log messages; is the reflection looking in the right place?");
        Assert.True(duplicates.Length == 0, "Event ids used twice:\n" + string.Join('\n', duplicates));
    }
}
