using Switchboard.Postgres;
using Switchboard.Sqlite;
using Switchboard.Server.Hosting;
using Switchboard.Testing;

namespace Switchboard.Server.Tests.Architecture;

/// <summary>
/// Chat → channels → broker holds in the host and the engines too: their channel and broker folders compile without
/// chat (the Core assembly has its own test).
/// </summary>
public sealed class DependencyDirectionTests
{
    public static TheoryData<string> Assemblies => [typeof(SwitchboardHost).Assembly.GetName().Name!,
        typeof(SqliteEngine).Assembly.GetName().Name!, typeof(PostgresEngine).Assembly.GetName().Name!];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void No_type_of_channels_or_the_broker_refers_to_chat(string assembly)
    {
        var types = System.Reflection.Assembly.Load(assembly).GetTypes();
        var lower = types.Where(t => !t.IsNested && t.Namespace is { } ns && (ns.EndsWith(".Channels", StringComparison.Ordinal) || ns.EndsWith(".Broker", StringComparison.Ordinal)))
            .ToList();
        var offending = lower
            .SelectMany(t => TypeReferences.Of(t).Where(r => r.Namespace is { } ns && (ns == "Switchboard.Chat" || ns.EndsWith(".Chat", StringComparison.Ordinal)))
                .Select(r => $"{t.FullName} -> {r.FullName}"))
            .ToList();

        Assert.NotEmpty(lower);
        Assert.Empty(offending);
    }
}
