using System.Reflection;
using Microsoft.Extensions.Logging;
using Switchboard.Operations;

namespace Switchboard.Cli.Tests.Logging;

public sealed class EventIdTests
{
    [Fact]
    public void Every_log_event_id_is_used_by_exactly_one_message_across_the_product()
    {
        var messages = LogMessages();

        var duplicates = messages.GroupBy(x => x.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Method))}").ToArray();

        Assert.True(messages.Length > 20, $"found only {messages.Length} log messages; is the reflection looking in the right place?");
        Assert.True(duplicates.Length == 0, "Event ids used twice:\n" + string.Join('\n', duplicates));
    }

    [Fact]
    public void Every_log_event_id_is_listed_in_the_table_inside_its_features_range()
    {
        var table = Table();
        var listed = table.SelectMany(f => f.Ids.Select(id => id.Value)).ToHashSet();

        var unlisted = LogMessages().Where(x => !listed.Contains(x.Attribute!.EventId))
            .Select(x => $"{x.Attribute!.EventId}: {x.Method}").ToArray();
        var outside = table.SelectMany(f => f.Ids.Where(id => id.Value < f.First || id.Value > f.Last)
            .Select(id => $"EventIds.{f.Name}.{id.Name} = {id.Value} is outside {f.First}..{f.Last}")).ToArray();
        var overlapping = table.SelectMany(a => table.Where(b => string.CompareOrdinal(a.Name, b.Name) < 0 && a.First <= b.Last && b.First <= a.Last)
            .Select(b => $"{a.Name} and {b.Name}")).ToArray();
        var twice = table.SelectMany(f => f.Ids).GroupBy(id => id.Value).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(id => id.Name))}").ToArray();
        var unused = table.SelectMany(f => f.Ids.Where(id => !LogMessages().Any(x => x.Attribute!.EventId == id.Value))
            .Select(id => $"EventIds.{f.Name}.{id.Name}")).ToArray();

        Assert.True(table.Count > 10, $"found only {table.Count} features in EventIds");
        Assert.True(unlisted.Length == 0, "Event ids not in EventIds:\n" + string.Join('\n', unlisted));
        Assert.True(outside.Length == 0, string.Join('\n', outside));
        Assert.True(overlapping.Length == 0, "Overlapping ranges: " + string.Join(", ", overlapping));
        Assert.True(twice.Length == 0, "Ids listed twice:\n" + string.Join('\n', twice));
        Assert.True(unused.Length == 0, "Ids no log message uses:\n" + string.Join('\n', unused));
    }

    private static (string Method, LoggerMessageAttribute? Attribute)[] LogMessages() =>
        // The command references every product assembly, so loading its closure sees every [LoggerMessage].
        new[] { "switchboard", "Switchboard.Server", "Switchboard.Gateway", "Switchboard.Core", "Switchboard.Sqlite", "Switchboard.Postgres" }
            .Select(name => Assembly.Load(name))
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToArray();

    private static List<(string Name, int First, int Last, (string Name, int Value)[] Ids)> Table() =>
        typeof(EventIds).GetNestedTypes().Select(feature =>
        {
            var constants = feature.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral)
                .ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);
            return (feature.Name, constants["First"], constants["Last"],
                constants.Where(c => c.Key is not ("First" or "Last")).Select(c => (c.Key, c.Value)).ToArray());
        }).ToList();
}
